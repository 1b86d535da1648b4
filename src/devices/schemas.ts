import { Type } from 'typebox';
import { DEVICE_STATE_ZH, type DeviceState } from '../../machines/device.machine.js';
import type { Device } from './repository.js';
import { LEGAL_REVIEW_POINTS, TECHNICAL_REVIEW_POINTS } from './reviews.js';
import { AgencyCode, CreditCode, DistrictCode, OpenObject, ShortText } from '../http/schemas.js';

/** Schemas of the monitoring-device routes (电子技术监控设备, Art. 34–36). */
const Answer = (item: number, textZh: string) =>
  Type.Object(
    {
      satisfied: Type.Boolean({ description: `第（${item}）项：${textZh} / satisfied` }),
      note: ShortText('审核意见 / reviewer’s note', 1000),
    },
    { additionalProperties: false },
  );

export const LegalReviewBody = Type.Object(
  Object.fromEntries(LEGAL_REVIEW_POINTS.map((p) => [p.key, Answer(p.item, p.textZh)])) as Record<(typeof LEGAL_REVIEW_POINTS)[number]['key'], ReturnType<typeof Answer>>,
  { additionalProperties: false, description: '法制审核（第三十五条）四项 / the four points of the legal review' },
);

export const TechnicalReviewBody = Type.Object(
  {
    ...(Object.fromEntries(TECHNICAL_REVIEW_POINTS.map((p) => [p.key, Answer(p.item, p.textZh)])) as Record<(typeof TECHNICAL_REVIEW_POINTS)[number]['key'], ReturnType<typeof Answer>>),
    qualityCertificateNo: Type.Optional(ShortText('产品质量检验合格证明编号 / product quality certificate number', 100)),
  },
  { additionalProperties: false, description: '技术审核（第三十六条）四项 / the four points of the technical review' },
);

export const RegisterDevice = Type.Object(
  {
    agencyCode: Type.Optional(AgencyCode),
    name: ShortText('设备名称 / name', 200),
    location: ShortText('设置地点 / location', 500),
    districtCode: Type.Optional(DistrictCode),
    purpose: ShortText('设置用途 / purpose', 500),
    standard: ShortText('符合的标准 / standard it meets', 300),
    owner: Type.Union(
      [
        Type.Object({ kind: Type.Literal('agency'), agencyCode: Type.Optional(AgencyCode) }, { additionalProperties: false }),
        Type.Object({ kind: Type.Literal('enterprise'), creditCode: CreditCode }, { additionalProperties: false }),
      ],
      { description: '设置主体：行政执法主体，或依法负有设置义务的企业（第三十四条第二款）/ owner' },
    ),
    internalNote: Type.Optional(Type.String({ maxLength: 2000, description: '内部备注（不公开）/ internal note, never public' })),
  },
  { additionalProperties: false },
);

export const DeviceView = Type.Object({
  id: Type.String(),
  agencyCode: Type.String(),
  ownerKind: Type.String(),
  ownerAgencyCode: Type.Union([Type.String(), Type.Null()]),
  ownerEnterpriseCode: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  location: Type.String(),
  districtCode: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.String(),
  standard: Type.String(),
  state: Type.String(),
  stateZh: Type.String(),
  legalReview: OpenObject('法制审核（第三十五条）：结论与逐项答复；尚未审核时为空 / the legal review, or null'),
  technicalReview: OpenObject('技术审核（第三十六条）：结论与逐项答复；尚未审核时为空 / the technical review, or null'),
  qualityCertificateNo: Type.Union([Type.String(), Type.Null()]),
  soleEvidenceBasis: Type.Union([Type.Boolean(), Type.Null()], { description: '第三十五条第（三）项：可否单凭设备数据处罚' }),
  evidenceUsable: Type.Boolean({ description: '已通过两项审核、地点已公布且正在使用，现采集的数据可作为证据 / data captured now usable as evidence' }),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  publicationRef: Type.Union([Type.String(), Type.Null()]),
  retiredAt: Type.Union([Type.String(), Type.Null()]),
  internalNote: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
});

export const PublicDeviceView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  location: Type.String({ description: '设置地点 / location' }),
  districtCode: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.String({ description: '设置用途 / purpose' }),
  agency: Type.Object({ code: Type.String(), name: Type.String() }, { description: '设置设备的行政执法主体 / the agency responsible' }),
  ownerKind: Type.String(),
  state: Type.String(),
  stateZh: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  publicationRef: Type.Union([Type.String(), Type.Null()]),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;
const stateZh = (s: string) => DEVICE_STATE_ZH[s as DeviceState] ?? s;

export function deviceView(d: Device) {
  return {
    id: d.id,
    agencyCode: d.agencyCode,
    ownerKind: d.ownerKind,
    ownerAgencyCode: d.ownerAgencyCode,
    ownerEnterpriseCode: d.ownerEnterpriseCode,
    name: d.name,
    location: d.location,
    districtCode: d.districtCode,
    purpose: d.purpose,
    standard: d.standard,
    state: d.state,
    stateZh: stateZh(d.state),
    legalReview: d.legalReview,
    technicalReview: d.technicalReview,
    qualityCertificateNo: d.qualityCertificateNo,
    soleEvidenceBasis: d.soleEvidenceBasis,
    evidenceUsable: d.legalReviewPassedAt !== null && d.technicalReviewPassedAt !== null && d.publishedAt !== null && d.state === 'in_use',
    publishedAt: iso(d.publishedAt),
    publicationRef: d.publicationRef,
    retiredAt: iso(d.retiredAt),
    internalNote: d.internalNote,
    version: d.version,
  };
}

/** What the public sees: where, what for, whose — never reviews, owners' details or internal notes. */
export function publicDeviceView(d: Device, agencyName: string) {
  return {
    id: d.id,
    name: d.name,
    location: d.location,
    districtCode: d.districtCode,
    purpose: d.purpose,
    agency: { code: d.agencyCode, name: agencyName },
    ownerKind: d.ownerKind,
    state: d.state,
    stateZh: stateZh(d.state),
    publishedAt: iso(d.publishedAt),
    publicationRef: d.publicationRef,
  };
}
