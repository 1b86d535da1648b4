import { Type } from 'typebox';
import { REFERRAL_STATE_ZH, type ReferralState } from '../../machines/referral.machine.js';
import { AgencyCode, AnyJson, CalendarDate, CreditCode, Instant, ShortText } from '../http/schemas.js';
import type { Referral } from './repository.js';
import { duePendingText, REFERRAL_OVERDUE } from './rules.js';

/** Schemas of the referral routes (移送, Art. 23). */
export const EvidenceItem = Type.Object(
  {
    kind: Type.Union(['document', 'photo', 'video', 'record', 'sample', 'device_data', 'other'].map((k) => Type.Literal(k)), {
      description: '证据类型：document 书证 | photo 照片 | video 视频 | record 检查记录 | sample 样品 | device_data 电子技术监控数据 | other 其他',
    }),
    ref: ShortText('证据编号或存放位置 / reference', 300),
    description: ShortText('证明内容 / what it shows', 1000),
    deviceId: Type.Optional(Type.String({ format: 'uuid', description: '采集设备（电子技术监控数据）/ monitoring device' })),
    capturedAt: Type.Optional(Instant),
  },
  { additionalProperties: false },
);

export const CreateReferral = Type.Object(
  {
    agencyCode: Type.Optional(AgencyCode),
    competentAgencyCode: AgencyCode,
    enterpriseCode: CreditCode,
    description: ShortText('违法行为描述 / the violation', 2000),
    evidence: Type.Array(EvidenceItem, { minItems: 1, maxItems: 50, description: '移送的证据材料 / evidence handed over' }),
    foundOn: Type.Optional(CalendarDate),
    inspectionId: Type.Optional(Type.String({ format: 'uuid', description: '发现线索的行政检查 / the inspection that found it' })),
  },
  { additionalProperties: false },
);

export const ReferralView = Type.Object({
  id: Type.String(),
  agencyCode: Type.String({ description: '移送机关 / referring agency' }),
  competentAgencyCode: Type.String({ description: '有管辖权的行政执法主体 / competent agency' }),
  enterpriseCode: Type.String(),
  inspectionId: Type.Union([Type.String(), Type.Null()]),
  source: Type.String(),
  description: Type.String(),
  evidence: Type.Array(AnyJson('证据材料 / an item of evidence')),
  foundOn: Type.String(),
  dueDate: Type.Union([Type.String(), Type.Null()], { description: '移送期限（发现之日起第10个工作日）；期限待定时为空 / due date, null while pending' }),
  dueDatePending: Type.Union([Type.String(), Type.Null()], {
    description: '期限待定的原因，如“期限待定：2027年工作日历尚未录入”；录入该年度后自动补定 / why the due date is pending, filled once the year is entered',
  }),
  overdue: Type.Boolean({ description: '逾期未移送或逾期移送 / unsent past, or sent after, the due date' }),
  state: Type.String(),
  stateZh: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
  sentOn: Type.Union([Type.String(), Type.Null()]),
  receivedAt: Type.Union([Type.String(), Type.Null()]),
  acceptedAt: Type.Union([Type.String(), Type.Null()]),
  acceptanceRef: Type.Union([Type.String(), Type.Null()]),
  superiorAgencyCode: Type.Union([Type.String(), Type.Null()]),
  escalationGround: Type.Union([Type.String(), Type.Null()]),
  crimeTransferDocNo: Type.Union([Type.String(), Type.Null()]),
  crimeTransferOrgan: Type.Union([Type.String(), Type.Null()]),
  crimeTransferredAt: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  flags: Type.Optional(Type.Array(Type.String(), { description: '本次操作触发的违规标记 / flags raised by this step' })),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function referralView(r: Referral, today: string, flags?: string[]) {
  const overdue = !REFERRAL_OVERDUE(r, today).passed;
  return {
    id: r.id,
    agencyCode: r.agencyCode,
    competentAgencyCode: r.competentAgencyCode,
    enterpriseCode: r.enterpriseCode,
    inspectionId: r.inspectionId,
    source: r.source,
    description: r.description,
    evidence: r.evidence,
    foundOn: r.foundOn,
    dueDate: r.dueDate,
    dueDatePending: r.duePendingYear === null ? null : duePendingText(r.duePendingYear),
    overdue,
    state: r.state,
    stateZh: REFERRAL_STATE_ZH[r.state as ReferralState] ?? r.state,
    sentAt: iso(r.sentAt),
    sentOn: r.sentOn,
    receivedAt: iso(r.receivedAt),
    acceptedAt: iso(r.acceptedAt),
    acceptanceRef: r.acceptanceRef,
    superiorAgencyCode: r.superiorAgencyCode,
    escalationGround: r.escalationGround,
    crimeTransferDocNo: r.crimeTransferDocNo,
    crimeTransferOrgan: r.crimeTransferOrgan,
    crimeTransferredAt: iso(r.crimeTransferredAt),
    version: r.version,
    ...(flags ? { flags } : {}),
  };
}
