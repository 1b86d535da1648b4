import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { runIdempotent } from '../http/idempotency.js';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import type { Principal } from '../auth/principal.js';
import { runCommand, type CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { AgencyCode, AnyJson, DistrictCode, Page, responses } from '../http/schemas.js';
import { agencyNameOf } from '../registry/agencies.repository.js';
import { findEnterprise } from '../registry/enterprises.repository.js';
import { finitePage, IdParams, Officers } from '../visits/joint/schemas/joint-schemas.js';
import { shanghaiYear } from '../time/shanghai-date.js';
import { acceptProposal, declineProposal, type Answered } from './answer.js';
import { DECLINE_REASON_CODES, DECLINE_REASONS } from './decline-reasons.js';
import { findProposal, listProposals, unitsOfProposal, type JointProposal } from './repository.js';
import { runMatch } from './run-match.js';
import { enterpriseVisits, proposalStats } from './stats.js';

const Period = Type.String({ pattern: '^[0-9]{4}Q[1-4]$', description: '季度，如 2026Q2 / quarter' });
const Str = Type.String();
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const UnitView = Type.Object({
  agencyCode: Str,
  agencyName: Str,
  role: Str,
  state: Str,
  matterCodes: Type.Array(Str),
  inspectors: AnyJson('本单位派出的检查人员 / officers sent'),
  declineReason: Nullable(Str),
  declineReasonZh: Nullable(Str),
  declineNote: Nullable(Str),
  decidedAt: Nullable(Str),
});
const ProposalView = Type.Object({
  id: Str,
  period: Str,
  source: Str,
  state: Str,
  enterpriseCode: Str,
  enterpriseName: Str,
  districtCode: Str,
  listId: Str,
  entryCode: Str,
  leadAgencyCode: Str,
  windowStart: Str,
  windowEnd: Str,
  respondBy: Str,
  teamMax: Type.Integer(),
  formLines: Type.Integer({ description: '一表通查的综合检查表单行数；0 表示清单无表单 / combined form lines' }),
  seed: Nullable(Type.String({ description: '共同抽取的随机种子 / the seed of the shared draw' })),
  separateVisits: Type.Integer({ description: '各单位分别入企的次数 / separate visits replaced' }),
  jointTaskId: Nullable(Str),
  inspectionIds: Type.Array(Str, { description: '由检查方案提出时：各单位原拟单独实施的检查 / for scheme proposals: the units’ own drafts' }),
  units: Type.Array(UnitView),
});

async function proposalView(db: Db, p: JointProposal) {
  const units = await unitsOfProposal(db, p.id);
  return {
    ...p,
    enterpriseName: (await findEnterprise(db, p.enterpriseCode))?.name ?? p.enterpriseCode,
    windowStart: p.windowStart.toISOString(),
    windowEnd: p.windowEnd.toISOString(),
    respondBy: p.respondBy.toISOString(),
    units: await Promise.all(
      units.map(async (u) => ({
        ...u,
        agencyName: await agencyNameOf(db, u.agencyCode),
        declineReasonZh: u.declineReason ? (DECLINE_REASONS as Record<string, string>)[u.declineReason] ?? null : null,
        decidedAt: u.decidedAt?.toISOString() ?? null,
      })),
    ),
  };
}

/** Who may read a proposal: its units' officers and heads; supervisors of its district or the city. */
function assertMayRead(p: Principal, proposal: JointProposal, agencies: string[]): void {
  if ((p.role === 'officer' || p.role === 'agency_head') && p.agency && agencies.includes(p.agency)) return;
  if (p.role === 'supervisor' && (!p.district || p.district === proposal.districtCode)) return;
  throw new DomainError('OUT_OF_SCOPE', '无权查看该联合检查建议');
}

/** 综合查一次 without asking (Art. 26–28): proposals from plans, each unit's answer, what it saved. */
export const proposalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ keyring: app.services.keyring, joint: app.services.config.joint });
  const db = () => app.services.db;

  app.post(
    '/proposals/match',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['joint'],
        summary: '按季度匹配各单位已备案计划，提出“综合查一次”联合检查建议（第二十六条）/ match a quarter’s filed plans into proposed joint visits',
        body: Type.Object({ period: Period, seed: Type.Optional(Type.String({ pattern: '^[0-9a-f]{4,64}$', description: '共同抽取的随机种子（不填则随机生成并记录）/ seed' })) }, { additionalProperties: false }),
        response: responses(Type.Object({ period: Str, seed: Str, created: Type.Array(Str), result: AnyJson('匹配结果：抽样、未匹配的类别、入企次数 / samples, unmatched classes, visits') }), 201),
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      if (p.district) throw new DomainError('OUT_OF_SCOPE', '按季度匹配全市计划由市级司法行政部门办理');
      const ctx = commandContext(req);
      const calendar = await app.services.calendar.current();
      const run = await runCommand(ctx, { subjectType: 'joint_proposal', subjectId: req.body.period }, (tx, scope) => runMatch(tx, scope, calendar, app.services.config.joint.teamMax, req.body.period, req.body.seed));
      return reply.status(201).send(run);
    },
  );

  app.get(
    '/proposals',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: {
        tags: ['joint'],
        summary: '联合检查建议：本单位参与的，或本辖区的 / proposed joint visits',
        querystring: Type.Object({ period: Type.Optional(Period), state: Type.Optional(Type.Union(['open', 'launched', 'declined', 'lapsed'].map((s) => Type.Literal(s)))), district: Type.Optional(DistrictCode), agency: Type.Optional(AgencyCode), ...Page }),
        response: responses(Type.Object({ items: Type.Array(ProposalView) })),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const q = finitePage(req.query);
      // An agency's people see their own unit's proposals; a supervisor may filter by any unit.
      const agency = p.role === 'supervisor' ? q.agency : p.agency;
      const district = p.role === 'supervisor' ? (p.district ?? q.district) : q.district;
      const rows = await listProposals(db(), { agency, district, period: q.period, state: q.state as JointProposal['state'] | undefined, limit: q.limit, offset: q.offset });
      return { items: await Promise.all(rows.map((r) => proposalView(db(), r))) };
    },
  );

  app.get(
    '/proposals/:id',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: { tags: ['joint'], summary: '一项联合检查建议及各单位答复 / one proposal and its units’ answers', params: IdParams, response: responses(ProposalView) },
    },
    async (req) => {
      const proposal = await findProposal(db(), req.params.id);
      if (!proposal) throw DomainError.notFound('联合检查建议', req.params.id);
      assertMayRead(principalOf(req), proposal, (await unitsOfProposal(db(), proposal.id)).map((u) => u.agencyCode));
      return proposalView(db(), proposal);
    },
  );

  const answered = async (tx: Db, out: Answered) => ({ ...(await proposalView(tx, out.proposal)), codes: out.codes.map((c) => ({ enterpriseCode: c.enterpriseCode, code: c.code })) });
  const Answer = Type.Intersect([ProposalView, Type.Object({ codes: Type.Array(Type.Object({ enterpriseCode: Str, code: Str }), { description: '各单位均接受后发起联合检查所获取的检查码 / the joint visit’s code' }) })]);

  /**
   * A unit's answer, in one transaction: the refusal subject is the proposal, on behalf of the head's unit. With an
   * Idempotency-Key a replayed answer (a head's second tap, a retry after a lost response) returns the first
   * answer, so the answer view is built inside the transaction and stored with the key.
   */
  const answer = async (req: FastifyRequest, reply: FastifyReply, id: string, step: (tx: Db, scope: CommandScope, actor: Principal) => Promise<Answered>) => {
    const ctx = commandContext(req);
    const res = await runIdempotent(req, ctx, { subjectType: 'joint_proposal', subjectId: id, agencyCode: ctx.actor.agency }, 200, async (tx, scope) => answered(tx, await step(tx, scope, ctx.actor)));
    return reply.status(res.status).header('idempotent-replayed', String(res.replayed)).send(res.body);
  };

  app.post(
    '/proposals/:id/accept',
    {
      config: { idempotent: true, access: ['agency_head'] },
      schema: {
        tags: ['joint'],
        summary: '本单位负责人接受联合检查建议并指派检查人员；各单位均接受后发起一次联合检查、获取一个检查码 / accept a proposal naming the officers sent; accepts Idempotency-Key',
        params: IdParams,
        body: Type.Object({ inspectors: Officers }, { additionalProperties: false }),
        response: responses(Answer),
      },
    },
    async (req, reply) => answer(req, reply, req.params.id, (tx, scope, actor) => acceptProposal(tx, scope, actor, deps(), req.params.id, req.body)),
  );

  app.post(
    '/proposals/:id/decline',
    {
      config: { idempotent: true, access: ['agency_head'] },
      schema: {
        tags: ['joint'],
        summary: '协同单位负责人拒绝联合检查建议，从列表中选择理由；未说明理由的予以标记（第二十八条）/ decline a proposal with a listed reason; accepts Idempotency-Key',
        params: IdParams,
        body: Type.Object(
          {
            reason: Type.Optional(Type.Union(DECLINE_REASON_CODES.map((r) => Type.Literal(r)), { description: Object.entries(DECLINE_REASONS).map(([k, v]) => `${k} ${v}`).join(' | ') })),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: responses(Answer),
      },
    },
    async (req, reply) => answer(req, reply, req.params.id, (tx, scope, actor) => declineProposal(tx, scope, actor, deps(), req.params.id, req.body)),
  );

  app.get(
    '/stats/joint-proposals',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['joint'],
        summary: '联合检查建议统计：提出、接受、拒绝、逾期数，减少的入企次数及其明细，企业年度入企次数分布 / proposals counted, visits avoided with its rows, visits per enterprise',
        querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2025, maximum: 2100 })), district: Type.Optional(DistrictCode) }),
        response: responses(
          Type.Object({
            year: Type.Integer(),
            district: Nullable(Str),
            counts: Type.Array(Type.Object({ agencyCode: Str, districtCode: Str, period: Str, made: Type.Integer(), accepted: Type.Integer(), declined: Type.Integer(), lapsed: Type.Integer() })),
            visitsAvoided: Type.Integer({ description: '减少的入企次数 = Σ(接受的单位数 − 1) / visits avoided' }),
            avoidedRows: Type.Array(Type.Object({ proposalId: Str, source: Type.String({ description: 'plan 由计划匹配 | scheme 由检查方案匹配' }), enterpriseCode: Str, period: Str, jointTaskId: Nullable(Str), unitsTakingPart: Type.Integer(), avoided: Type.Integer() })),
            perEnterprise: Type.Object({
              before: Type.Object({ p50: Type.Integer(), p99: Type.Integer(), max: Type.Integer(), n: Type.Integer() }, { description: '按单位分别计的现场检查次数 / per agency row' }),
              after: Type.Object({ p50: Type.Integer(), p99: Type.Integer(), max: Type.Integer(), n: Type.Integer() }, { description: '实际入企次数（联合检查计一次）/ distinct visits' }),
            }),
          }),
        ),
      },
    },
    async (req) => {
      const p = principalOf(req);
      if (p.district && req.query.district && req.query.district !== p.district) throw new DomainError('OUT_OF_SCOPE', '只能查看本辖区的统计');
      return proposalStats(db(), req.query.year ?? shanghaiYear(app.services.clock.now()), p.district ?? req.query.district ?? null);
    },
  );

  app.get(
    '/stats/joint-proposals/enterprises',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['joint'],
        summary: '企业年度入企次数分布背后的明细：每家企业按单位分别计与实际入企次数，按次数从多到少；响应头 x-total-count 为总数 / the rows behind the visits-per-enterprise figure',
        querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2025, maximum: 2100 })), district: Type.Optional(DistrictCode), ...Page }),
        response: responses(
          Type.Array(
            Type.Object({
              enterpriseCode: Str,
              enterpriseName: Str,
              districtCode: Str,
              before: Type.Integer({ description: '按单位分别计的现场检查次数 / per agency row' }),
              after: Type.Integer({ description: '实际入企次数（联合检查计一次）/ distinct visits' }),
            }),
          ),
        ),
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      if (p.district && req.query.district && req.query.district !== p.district) throw new DomainError('OUT_OF_SCOPE', '只能查看本辖区的统计');
      const { limit, offset } = finitePage(req.query);
      const out = await enterpriseVisits(db(), req.query.year ?? shanghaiYear(app.services.clock.now()), p.district ?? req.query.district ?? null, { limit, offset });
      return reply.header('x-total-count', String(out.total)).send(out.items);
    },
  );
};

export default proposalRoutes;
