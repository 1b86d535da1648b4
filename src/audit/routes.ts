import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AUDIT_ACTION_ZH, AUDIT_SUBJECT_ZH } from './action-labels.js';
import { listAuditNamed } from './query.js';
import { CSV_CONTENT_TYPE, toCsv } from '../supervision/csv.js';
import { ROLE_NAMES_ZH } from '../auth/principal.js';
import { AUDIT_LOG_ID } from './checkpoint.js';
import { exportSegment } from './export.js';
import { AuditRollbackError, checkpointNow, sealPending } from './sealer.js';
import { listCheckpoints, verifyChain } from './verify.js';
import { principalOf } from '../auth/plugin.js';
import { DomainError } from '../errors/domain-error.js';
import { Checkpoint } from './well-known-root-routes.js';
import { AgencyCode, AnyJson, CreditCode, DistrictCode, Instant, Page, responses } from '../http/schemas.js';

const Entry = Type.Object({
  id: Type.Integer(),
  seq: Type.Union([Type.Integer(), Type.Null()], { description: '链上序号，封链前为空 / chain position, null until sealed' }),
  hash: Type.Union([Type.String(), Type.Null()]),
  occurredAt: Type.String(),
  actor: Type.String(),
  role: Type.String(),
  action: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.String(),
  agencyCode: Type.Union([Type.String(), Type.Null()]),
  enterpriseCode: Type.Union([Type.String(), Type.Null()]),
  districtCode: Type.Union([Type.String(), Type.Null()]),
  beforeState: Type.Union([Type.String(), Type.Null()]),
  afterState: Type.Union([Type.String(), Type.Null()]),
  payload: AnyJson('审计记录的内容 / what the audit entry recorded'),
  payloadHash: Type.String(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  agencyName: Type.Union([Type.String(), Type.Null()], { description: '行政执法主体名称 / the agency’s name' }),
  enterpriseName: Type.Union([Type.String(), Type.Null()], { description: '企业名称 / the enterprise’s name' }),
  actorName: Type.Union([Type.String(), Type.Null()], { description: '操作企业名称（企业操作时）/ the acting enterprise’s name, when an enterprise acted' }),
});

// The filters of the audit page and its export: an action by its identifier (its Chinese name is in GET /labels).
const AuditQuery = {
  subjectType: Type.Optional(Type.String({ maxLength: 40 })),
  subjectId: Type.Optional(Type.String({ maxLength: 100 })),
  actor: Type.Optional(Type.String({ maxLength: 100 })),
  action: Type.Optional(Type.String({ maxLength: 60, pattern: '^[a-z_]+\\.[a-z_]+$', description: '审计动作，如 inspection.approved / the audit action' })),
  agency: Type.Optional(AgencyCode),
  enterprise: Type.Optional(CreditCode),
  district: Type.Optional(DistrictCode),
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
};

// An export is one response: bounded so a city-wide year does not hold the server (filter by date for more).
const EXPORT_MAX = 20_000;
const CSV_HEADER = ['链上序号', '时间（北京时间）', '操作人', '角色', '动作', '对象类型', '对象编号', '行政执法主体', '企业', '原状态', '新状态', '请求编号'];

const Problem = Type.Object({
  reason: Type.String(),
  seq: Type.Union([Type.Integer(), Type.Null()]),
  toSeq: Type.Optional(Type.Integer()),
  entryId: Type.Union([Type.Integer(), Type.Null()]),
  checkpointSeq: Type.Optional(Type.Integer()),
  detail: Type.String(),
});

const VerifyReport = Type.Object({
  ok: Type.Boolean(),
  mode: Type.Union([Type.Literal('full'), Type.Literal('incremental')]),
  startSeq: Type.Integer(),
  verified: Type.Integer(),
  pending: Type.Integer(),
  headSeq: Type.Integer(),
  headHash: Type.String(),
  checkpoints: Type.Integer(),
  latestCheckpoint: Type.Union([
    Type.Object({ seq: Type.Integer(), chainSeq: Type.Integer(), headHash: Type.String(), signedAt: Type.String() }),
    Type.Null(),
  ]),
  macChecked: Type.Boolean(),
  macFrom: Type.Integer({ description: '自此链序号起不得出现旧格式（无认证码）记录 / no format-1 row from this position on' }),
  problems: Type.Array(Problem),
  brokenAt: Type.Optional(Problem),
});

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['audit'],
        summary: '审计日志（区级监督人员仅见本辖区）/ audit log (district supervisors see their district)',
        querystring: Type.Object({ ...AuditQuery, ...Page }),
        response: responses(Type.Array(Entry)),
      },
    },
    async (req) => {
      const rows = await listAuditNamed(app.services.db, auditFilter(req, req.query, req.query.limit, req.query.offset));
      return rows.map(({ entry, seq, hash, agencyName, enterpriseName, actorName }) => ({ ...entry, occurredAt: entry.occurredAt.toISOString(), seq, hash, agencyName, enterpriseName, actorName }));
    },
  );

  app.get(
    '/audit/export.csv',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['audit'],
        summary: `导出审计日志（CSV，UTF-8 带 BOM，北京时间，至多 ${EXPORT_MAX} 条）/ export the filtered audit log as CSV`,
        querystring: Type.Object(AuditQuery),
        produces: ['text/csv'],
        response: responses(Type.String({ description: 'CSV' })),
      },
    },
    async (req, reply) => {
      const rows = await listAuditNamed(app.services.db, auditFilter(req, req.query, EXPORT_MAX, 0));
      const csv = toCsv(
        CSV_HEADER,
        rows.map(({ entry: e, seq, agencyName, enterpriseName }) => [
          seq,
          e.occurredAt,
          e.actor,
          ROLE_NAMES_ZH[e.role as keyof typeof ROLE_NAMES_ZH] ?? e.role,
          AUDIT_ACTION_ZH[e.action] ?? e.action,
          AUDIT_SUBJECT_ZH[e.subjectType] ?? e.subjectType,
          e.subjectId,
          agencyName ?? e.agencyCode,
          enterpriseName ?? e.enterpriseCode,
          e.beforeState,
          e.afterState,
          e.requestId,
        ]),
      );
      return reply.type(CSV_CONTENT_TYPE).header('content-disposition', 'attachment; filename="audit-log.csv"').header('cache-control', 'no-store').send(csv);
    },
  );

  app.get(
    '/audit/verify',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['audit'],
        summary:
          '校验审计日志：重算哈希链、核对追加认证码与签名检查点，逐一指出问题位置 / verify the audit log against its MACs and signed checkpoints, reporting every problem by position',
        querystring: Type.Object({
          full: Type.Optional(Type.Boolean({ description: '从头校验（默认从上次校验通过的检查点起）/ from the genesis instead of the last verified checkpoint' })),
        }),
        response: responses(VerifyReport),
      },
    },
    async (req) => {
      const { db, clock, keyring, auditMac, auditWitness, config } = app.services;
      // Chain what has committed so far, so the answer covers every entry up to this request.
      await sealPending(db, clock);
      return verifyChain(db, { keyring, macKeys: auditMac, witness: auditWitness, full: req.query.full === true, now: clock.now(), sealDelayMs: config.auditSealOverdueMs });
    },
  );

  app.post(
    '/audit/checkpoints',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['audit'],
        summary: '立即签发审计日志检查点（链长与链头哈希）/ sign a checkpoint of the chain head now',
        response: responses(Checkpoint, 201),
      },
    },
    async (_req, reply) => {
      const { db, clock, keyring, auditWitness, config } = app.services;
      const cp = await checkpointNow(db, clock, { keyring, intervalMs: config.auditCheckpointIntervalMs, witness: auditWitness }).catch((e: unknown) => {
        // The sealer never signs a position behind the checkpoint it keeps: the log was rolled back.
        if (e instanceof AuditRollbackError) throw new DomainError('AUDIT_ROLLBACK', `拒绝签发检查点：${e.detail}`);
        throw e;
      });
      if (!cp) throw new DomainError('AUDIT_LOG_EMPTY', '审计日志尚无已入链的记录，无法签发检查点');
      return reply.code(201).send(cp);
    },
  );

  app.get(
    '/audit/export',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['audit'],
        summary: '导出审计链的一段（NDJSON，每行一条），供离线校验 / export a chain segment as NDJSON for the offline verifier',
        querystring: Type.Object({
          fromSeq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 1, description: '起始链序号 / first chain position' }),
          limit: Type.Integer({ minimum: 1, maximum: 50_000, default: 10_000 }),
        }),
        produces: ['application/x-ndjson'],
        response: responses(Type.String({ description: 'NDJSON' })),
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      // The chain interleaves every district's entries: only the city level sees all of them.
      if (p.district) throw new DomainError('OUT_OF_SCOPE', `区级监督人员只能查看本辖区（${p.district}）的审计日志，不能导出全市审计链`);
      const rows = await exportSegment(app.services.db, req.query.fromSeq, req.query.limit);
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
    },
  );
};

type AuditQueryValues = { subjectType?: string; subjectId?: string; actor?: string; action?: string; agency?: string; enterprise?: string; district?: string; from?: string; to?: string };

/** The filter of a request: a district supervisor sees their district only (asking for another is refused). */
function auditFilter(req: Parameters<typeof principalOf>[0], q: AuditQueryValues, limit: number, offset: number) {
  const p = principalOf(req);
  if (p.district && q.district && q.district !== p.district) {
    throw new DomainError('OUT_OF_SCOPE', `区级监督人员只能查看本辖区（${p.district}）的审计日志`);
  }
  if (q.from && q.to && Date.parse(q.from) > Date.parse(q.to)) throw DomainError.field('query.to', '结束时间早于开始时间');
  return { ...q, district: p.district ?? q.district, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, limit, offset };
}

export default auditRoutes;
