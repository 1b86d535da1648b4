import { ItemResult } from '../visits/schemas/outcome-schema.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eq } from 'drizzle-orm';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import { offsiteRecords } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { runIdempotent } from '../http/idempotency.js';
import { AgencyCode, AnyJson, CalendarDate, CreditCode, Instant, responses, ShortText } from '../http/schemas.js';
import { assertMayRead } from '../access/visits.js';
import { findInspection } from '../visits/repository.js';
import { findNotice } from './notices.repository.js';
import { offsiteRefusalSubject, recordOffsite, type OffsiteInput } from './record.js';
import { noticeView, NoticeView } from '../visits/schemas/notice-schemas.js';
import { Checklist, Inspectors, InspectionView, inspectionView, MatterCodes, RuleResultSchema } from '../visits/schemas/inspection-schemas.js';

const Sources = ['document_review', 'data_sharing', 'monitoring', 'internet_plus', 'big_data'] as const;

const OffsiteEvidenceItem = Type.Object(
  {
    kind: Type.Union(['device_data', 'document', 'shared_data', 'platform_record', 'analysis', 'other'].map((k) => Type.Literal(k)), {
      description: 'device_data 电子技术监控数据 | document 书面材料 | shared_data 共享数据 | platform_record 平台记录 | analysis 分析结果 | other',
    }),
    ref: ShortText('证据编号或数据位置 / reference', 300),
    description: ShortText('证明内容 / what it shows', 1000),
    deviceId: Type.Optional(Type.String({ format: 'uuid', description: '采集设备 / monitoring device' })),
    capturedAt: Type.Optional(Instant),
  },
  { additionalProperties: false },
);

// 简明扼要 (Art. 37): each part of the notice is a sentence or two, not a report.
const Plain = (description: string, max: number) => Type.String({ minLength: 2, maxLength: max, description });

const CreateOffsite = Type.Object(
  {
    agencyCode: Type.Optional(AgencyCode),
    enterpriseCode: CreditCode,
    kind: Type.Union([Type.Literal('routine'), Type.Literal('special'), Type.Literal('case')], { default: 'routine', description: 'routine 日常 | special 专项 | case 个案（第九条）' }),
    matterCodes: MatterCodes,
    planId: Type.Optional(Type.String({ format: 'uuid' })),
    specialPlanId: Type.Optional(Type.String({ format: 'uuid' })),
    leadKind: Type.Optional(Type.Union(['complaint', 'referral', 'assignment', 'platform_monitoring', 'enterprise_request'].map((k) => Type.Literal(k)))),
    leadRef: Type.Optional(ShortText('线索编号 / lead reference', 200)),
    inspectors: Inspectors,
    source: Type.Union(Sources.map((s) => Type.Literal(s)), {
      description: 'document_review 书面核查 | data_sharing 信息共享 | monitoring 电子技术监控 | internet_plus 互联网+监管 | big_data 大数据分析（第三十二条）',
    }),
    sourceDetails: Type.Record(Type.String({ maxLength: 50 }), Type.String({ maxLength: 500 }), {
      maxProperties: 20,
      description: '来源细节：系统、数据集、期间、适用的行业非现场检查规则（第三十三条）等 / source details',
    }),
    observedAt: Instant,
    summary: ShortText('检查情况摘要 / summary', 2000),
    items: Type.Array(
      Type.Object(
        { item: ShortText('检查项目 / item', 200), result: ItemResult, note: Type.Optional(Type.String({ maxLength: 1000 })) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    evidence: Type.Array(OffsiteEvidenceItem, { maxItems: 100, default: [] }),
    suspectedViolation: Type.Optional(
      Type.Object(
        {
          observed: Plain('发现了什么（简明扼要）/ what was observed', 300),
          ruleBasis: Plain('涉嫌违反的规定 / which rule', 200),
          howToCorrect: Plain('如何改正 / how to correct', 300),
          correctBy: Type.Optional(CalendarDate),
          contact: Type.Object(
            { department: ShortText('联系部门 / department', 100), phone: Type.String({ minLength: 5, maxLength: 30, pattern: '^[0-9+()\\- ]+$' }), name: Type.Optional(ShortText('联系人 / name', 30)) },
            { additionalProperties: false },
          ),
          onsite: Type.Optional(
            Type.Object(
              {
                reason: ShortText('非现场检查不能达到目的、须现场核查的理由（第三十二条）/ why an on-site check is needed', 1000),
                windowStart: Instant,
                windowEnd: Instant,
                inspectors: Inspectors,
                checklist: Type.Optional(Checklist),
              },
              { additionalProperties: false, description: '需要现场核查时：据此生成个案现场检查方案草稿 / draft the on-site case inspection' },
            ),
          ),
        },
        { additionalProperties: false, description: '涉嫌违法：生成违法行为告知提示（第三十七条）/ suspected violation: the enterprise notice' },
      ),
    ),
  },
  { additionalProperties: false },
);

const OffsiteRecordView = Type.Object({
  source: Type.String(),
  sourceDetails: Type.Record(Type.String(), Type.String(), { description: '数据来源的补充信息 / details of the source' }),
  observedAt: Type.String(),
  summary: Type.String(),
  evidence: Type.Array(AnyJson('证据材料 / an item of evidence')),
  suspectedViolation: Type.Boolean(),
  noticeId: Type.Union([Type.String(), Type.Null()]),
  onsiteInspectionId: Type.Union([Type.String(), Type.Null()]),
});

const Recorded = Type.Object({
  inspection: InspectionView,
  offsite: OffsiteRecordView,
  checks: Type.Array(RuleResultSchema),
  notice: Type.Union([NoticeView, Type.Null()]),
  onsiteDraft: Type.Union([Type.Object({ inspection: InspectionView, checks: Type.Array(RuleResultSchema) }), Type.Null()]),
});

const recordView = (r: typeof offsiteRecords.$inferSelect) => ({
  source: r.source,
  sourceDetails: r.sourceDetails,
  observedAt: r.observedAt.toISOString(),
  summary: r.summary,
  evidence: r.evidence,
  suspectedViolation: r.suspectedViolation,
  noticeId: r.noticeId,
  onsiteInspectionId: r.onsiteInspectionId,
});

export const offsiteInspectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/offsite-inspections',
    {
      config: { idempotent: true, access: ['officer', 'agency_head'] },
      schema: {
        tags: ['inspections'],
        summary: '记录非现场检查（无需检查码，计入频次），涉嫌违法的告知企业并可生成现场核查草稿（第三十二、三十三、三十七条）/ record an off-site inspection; accepts Idempotency-Key',
        body: CreateOffsite,
        response: responses(Recorded, 201),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      const input = { ...req.body, kind: req.body.kind ?? 'routine', agencyCode: req.body.agencyCode ?? actor.agency ?? '' } as OffsiteInput;
      const res = await runIdempotent(req, commandContext(req), offsiteRefusalSubject(input), 201, async (tx, scope) => {
        const out = await recordOffsite(tx, scope, actor, input, app.services.inspectionHooks, app.services.config.resultsRecognisedDays);
        return {
          inspection: inspectionView(out.inspection),
          offsite: recordView(out.record),
          checks: out.checks,
          notice: out.notice ? noticeView(out.notice) : null,
          onsiteDraft: out.onsiteDraft ? { inspection: inspectionView(out.onsiteDraft.inspection), checks: out.onsiteDraft.checks } : null,
        };
      });
      return reply.status(res.status).header('idempotent-replayed', String(res.replayed)).send(res.body);
    },
  );

  app.get(
    '/offsite-inspections/:id',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: {
        tags: ['inspections'],
        summary: '非现场检查详情：来源、证据、告知与现场核查 / one off-site inspection with its source, evidence, notice and on-site draft',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: responses(Type.Object({ inspection: InspectionView, offsite: OffsiteRecordView, notice: Type.Union([NoticeView, Type.Null()]) })),
      },
    },
    async (req) => {
      const db = app.services.db;
      const i = await findInspection(db, req.params.id);
      const [record] = i ? await db.select().from(offsiteRecords).where(eq(offsiteRecords.inspectionId, i.id)) : [];
      if (!i || !record) throw DomainError.notFound('非现场检查', req.params.id);
      await assertMayRead(db, principalOf(req), i, app.services.clock.now());
      const notice = record.noticeId ? await findNotice(db, record.noticeId) : undefined;
      return { inspection: inspectionView(i), offsite: recordView(record), notice: notice ? noticeView(notice) : null };
    },
  );
};

export default offsiteInspectionRoutes;
