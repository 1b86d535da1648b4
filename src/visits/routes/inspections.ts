import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CodeFactsView } from '../schemas/code-schemas.js';
import { Type } from 'typebox';
import { listAudit } from '../../audit/query.js';
import { isInsider } from '../../auth/insiders.js';
import { principalOf } from '../../auth/plugin.js';
import { runCommand } from '../../commands/command.js';
import { DomainError } from '../../errors/domain-error.js';
import { commandContext } from '../../http/context.js';
import { runIdempotent } from '../../http/idempotency.js';
import { AgencyCode, CalendarDate, CreditCode, Page, responses } from '../../http/schemas.js';
import { assertMayRead } from '../../access/visits.js';
import { amendDraft, draftInspection } from '../commands/draft.js';
import { issueCode } from '../commands/issue-code.js';
import { inspectionRefusalSubject } from '../refusal-subject.js';
import { codeOfInspection, findInspection, listInspections, scansOf } from '../repository.js';
import { scanPlace, ScanPlace } from '../schemas/scan-place.js';
import { CoordinationSchema } from '../schemas/coordination-schema.js';
import { OpenObject } from '../../http/schemas.js';
import { CreateInspection, Id, InspectionView, inspectionView, PatchInspection, RuleResultSchema } from '../schemas/inspection-schemas.js';
import { refusalSubjectOf } from '../../registry/refusal-subject.js';
import { checkUrl } from '../../codes/signed-code.js';

const Drafted = Type.Object({
  inspection: InspectionView,
  checks: Type.Array(RuleResultSchema, { description: '各项规则的预检结果 / every guard evaluated now' }),
  mergeCandidates: Type.Array(Type.String(), { description: 'CASE_MERGEABLE：可合并的计划检查 / planned tasks this case could merge into' }),
  coordination: Type.Optional(CoordinationSchema),
  declarations: Type.Optional(
    Type.Array(Type.Object({ kind: Type.String(), value: OpenObject('所声明的内容 / what was declared') }), {
      description: '放宽规则而登记信息无从核验的声明，已记入声明事项，由监督人员确认或者不予认可 / declarations the registry could not confirm, put on the register for the supervisors',
    }),
  ),
  recognisedResults: Type.Optional(
    Type.Array(
      Type.Object({
        inspectionId: Type.String(),
        agencyCode: Type.String(),
        matterCodes: Type.Array(Type.String()),
        countedDate: Type.String(),
        outcome: Type.Union([Type.String(), Type.Null()]),
        tested: Type.Boolean({ description: '是否检验检测 / whether samples were tested' }),
        product: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: '检测的产品 / product tested, where recorded' })),
        batch: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: '产品批次 / batch tested, where recorded' })),
        sourceSystem: Type.Union([Type.String(), Type.Null()]),
        sourceId: Type.Union([Type.String(), Type.Null()]),
      }),
      { description: '检查结果互认（第二十四条、第四十条第（七）项）：近期其他行政执法主体和上级平台对该企业同一事项的检查结果 / recent results of other agencies and platforms for the same matters' },
    ),
  ),
});

const Issued = Type.Object({
  code: Type.String({ description: '检查码 / the code printed on the notice' }),
  kid: Type.String(),
  signature: Type.String(),
  inspectionId: Type.String(),
  validFrom: Type.String({ description: '生效时间：登记检查时间的开始，或（登记时间已开始的）签发时间 / effective start: the window start, or the issuance when the window had begun' }),
  validTo: Type.String(),
  windowStart: Type.String({ description: '检查方案登记的开始时间 / the registered window start' }),
  validFromIssuance: Type.Boolean({ description: '自签发时起生效（第十七条第（一）项：检查前获取检查码）/ valid only from issuance' }),
  validityNote: Type.Union([Type.String(), Type.Null()]),
  checkUrl: Type.String({ description: '二维码指向的公开核验页 / the public check page the QR encodes' }),
  facts: CodeFactsView,
});

export const inspectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/inspections',
    {
      config: { idempotent: true, access: ['officer', 'agency_head'] },
      schema: {
        tags: ['inspections'],
        summary: '制定检查方案（草稿），返回各项规则预检结果 / draft an inspection scheme; every guard is pre-checked',
        body: CreateInspection,
        response: responses(Drafted, 201),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      const res = await runIdempotent(req, commandContext(req), refusalSubjectOf(app.services.db, { subjectType: 'enterprise', subjectId: req.body.enterpriseCode, agencyCode: req.body.agencyCode, enterpriseCode: req.body.enterpriseCode }), 201, (tx, scope) => draftInspection(tx, scope, actor, req.body, app.services.inspectionHooks, app.services.config.resultsRecognisedDays));
      const body = res.replayed ? res.body : { ...res.body, inspection: inspectionView(res.body.inspection) };
      return reply.status(res.status).header('idempotent-replayed', String(res.replayed)).send(body);
    },
  );

  app.patch(
    '/inspections/:id',
    {
      config: { access: ['officer', 'agency_head'] },
      schema: { tags: ['inspections'], summary: '修改检查方案（仅草稿）/ edit a draft scheme', params: Id, body: PatchInspection, response: responses(Drafted) },
    },
    async (req) => {
      const out = await runCommand(commandContext(req), () => inspectionRefusalSubject(app.services.db, req.params.id), (tx, scope) => amendDraft(tx, scope, principalOf(req), req.params.id, req.body, app.services.inspectionHooks));
      return { ...out, inspection: inspectionView(out.inspection) };
    },
  );

  app.post(
    '/inspections/:id/code',
    {
      config: { idempotent: true, access: ['officer', 'agency_head'] },
      schema: {
        tags: ['codes'],
        summary: '获取检查码：在同一事务中复核全部规则（第十七条）/ issue the inspection code, re-checking every guard',
        params: Id,
        response: responses(Issued, 201),
      },
    },
    async (req, reply) => {
      const ctx = commandContext(req);
      const { keyring, config } = app.services;
      const refusal = () => inspectionRefusalSubject(ctx.db, req.params.id);
      const res = await runIdempotent(req, ctx, refusal, 201, async (tx, scope) => {
        const issued = await issueCode(tx, scope, ctx.actor, keyring, req.params.id, app.services.inspectionHooks);
        return { ...issued, checkUrl: checkUrl(config.publicBaseUrl, issued.code, issued.kid, issued.signature, issued.facts) };
      });
      return reply.status(res.status).header('idempotent-replayed', String(res.replayed)).send(res.body);
    },
  );

  app.get(
    '/inspections',
    {
      config: { access: ['officer', 'agency_head', 'supervisor', 'enterprise'] },
      schema: {
        tags: ['inspections'],
        summary: '行政检查列表（按身份限定范围）/ inspections within the caller’s scope',
        querystring: Type.Object({
          agency: Type.Optional(AgencyCode),
          enterprise: Type.Optional(CreditCode),
          state: Type.Optional(Type.String({ maxLength: 30 })),
          kind: Type.Optional(Type.Union([Type.Literal('routine'), Type.Literal('special'), Type.Literal('case')])),
          from: Type.Optional(CalendarDate),
          to: Type.Optional(CalendarDate),
          ...Page,
        }),
        response: responses(Type.Array(InspectionView)),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const q = { ...req.query };
      if (p.role === 'officer' || p.role === 'agency_head') {
        if (q.agency && q.agency !== p.agency) throw new DomainError('OUT_OF_SCOPE', '只能查看本单位的行政检查');
        q.agency = p.agency;
      }
      if (p.role === 'enterprise') {
        if (q.enterprise && q.enterprise !== p.creditCode) throw new DomainError('OUT_OF_SCOPE', '企业只能查看本企业接受的检查');
        q.enterprise = p.creditCode;
      }
      const rows = await listInspections(app.services.db, {
        ...q,
        agencyDistrict: p.role === 'supervisor' ? p.district : undefined,
        enterpriseView: p.role === 'enterprise' ? app.services.clock.now() : undefined,
      });
      return rows.map(inspectionView);
    },
  );

  app.get(
    '/inspections/:id',
    {
      config: { access: ['officer', 'agency_head', 'supervisor', 'enterprise'] },
      schema: {
        tags: ['inspections'],
        summary: '检查详情：方案、检查码、扫码记录与审计历史 / one inspection with its code, scans and history',
        params: Id,
        response: responses(
          Type.Object({
            inspection: InspectionView,
            code: Type.Union([Type.Object({ code: Type.String(), state: Type.String(), validFrom: Type.String(), validTo: Type.String(), revokedReason: Type.Union([Type.String(), Type.Null()], { description: '撤销理由，内部留存：仅本单位和监督人员可见 / the revocation reason, internal: shown to the agency and supervisors only' }) }), Type.Null()]),
            scans: Type.Array(Type.Object({ scannedAt: Type.String(), byRole: Type.String(), accepted: Type.Boolean(), lateReason: Type.Union([Type.String(), Type.Null()]), refusedRule: Type.Union([Type.String(), Type.Null()]), ...ScanPlace })),
            history: Type.Array(Type.Object({ seq: Type.Union([Type.Integer(), Type.Null()]), occurredAt: Type.String(), actor: Type.String(), action: Type.String(), beforeState: Type.Union([Type.String(), Type.Null()]), afterState: Type.Union([Type.String(), Type.Null()]), reason: Type.Optional(Type.String({ description: '退回、取消的理由 / the reason of a return or cancellation' })) })),
          }),
        ),
      },
    },
    async (req) => {
      const { db } = app.services;
      const i = await findInspection(db, req.params.id);
      if (!i) throw DomainError.notFound('行政检查', req.params.id);
      const p = principalOf(req);
      await assertMayRead(db, p, i, app.services.clock.now());
      const code = await codeOfInspection(db, i.id);
      const scans = code ? await scansOf(db, code.code) : [];
      const history = p.role === 'enterprise' ? [] : await listAudit(db, { subjectType: 'inspection', subjectId: i.id, limit: 500, offset: 0 });
      return {
        inspection: inspectionView(i),
        code: code ? { code: code.code, state: code.state, validFrom: code.validFrom.toISOString(), validTo: code.validTo.toISOString(), revokedReason: isInsider(p) ? code.revokedReason : null } : null,
        scans: scans.map((s) => ({ ...s, scannedAt: s.scannedAt.toISOString(), ...scanPlace(s, app.services.config.evidence.scanFarMetres, p.role !== 'enterprise') })),
        history: history.reverse().map(({ entry, seq }) => {
          const reason = (entry.payload as { reason?: unknown } | null)?.reason;
          return { ...entry, seq, occurredAt: entry.occurredAt.toISOString(), ...(typeof reason === 'string' ? { reason } : {}) };
        }),
      };
    },
  );

};

export default inspectionRoutes;
