import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { listAudit } from '../audit/query.js';
import { principalOf } from '../auth/plugin.js';
import { PERSON_ROLES } from '../auth/principal.js';
import { runCommand, type CommandScope, type RefusalSubject } from '../commands/command.js';
import type { Db } from '../db/client.js';
import type { Principal } from '../auth/principal.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { runIdempotent } from '../http/idempotency.js';
import { AgencyCode, Page, responses, Uuid } from '../http/schemas.js';
import { mayViewPlan, planVisibility } from '../access/index.js';
import { amendPlan, draftPlan, editPlan, publishPlan } from './plan-commands.js';
import { submitPlan } from './plan-submit.js';
import { filePlan, returnPlan } from './plan-filing.js';
import { findPlan, listPlans, planItemsOf, type Plan, type PlanItem, type PlanItemInput } from './plans.repository.js';
import { checkCreditCode } from '../registry/credit-code.js';
import { findAgency } from '../registry/agencies.repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { diffItems } from './plan-item-diff.js';
import { findPlanVersion, planVersionsOf } from './plan-versions.repository.js';
import { historyView, PlanComparison, PlanDetail, PlanItemBody, PlanStateSchema, PlanVersionView, PlanView, planView, versionView } from './schemas.js';
import { refusalSubjectOf } from '../registry/refusal-subject.js';

const IdParams = Type.Object({ id: Uuid });
const Reason = (description: string) => Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000, description }) }, { additionalProperties: false });

/** Named targets are 统一社会信用代码: a wrong check digit is caught here, not at inspection time. */
function assertTargets(items: readonly PlanItemInput[]): void {
  items.forEach((item, i) =>
    item.targetEnterprises?.forEach((code, j) => {
      const check = checkCreditCode(code);
      if (!check.valid) throw DomainError.field(`body.items[${i}].targetEnterprises[${j}]`, check.reason, 'CREDIT_CODE_INVALID');
    }),
  );
}

/** Refusals (PLAN_CONTENT, MATTER_UNPUBLISHED) are recorded against the plan, visible in its district. */
async function refusalSubject(req: FastifyRequest, id: string): Promise<RefusalSubject> {
  const db = req.server.services.db;
  const plan = await findPlan(db, id);
  const agency = plan ? await findAgency(db, plan.agencyCode) : undefined;
  return { subjectType: 'plan', subjectId: id, agencyCode: plan?.agencyCode ?? null, districtCode: agency?.districtCode ?? null };
}

type PlanCommand = (tx: Db, scope: CommandScope, actor: Principal, id: string, req: FastifyRequest) => Promise<{ plan: Plan; items: PlanItem[] }>;

export const planRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const today = () => shanghaiDate(app.services.clock.now());

  /** One command on an existing plan, answered with the plan and its items. */
  const onPlan = async (req: FastifyRequest, command: PlanCommand) => {
    const id = (req.params as { id: string }).id;
    const ctx = commandContext(req);
    const out = await runCommand(ctx, await refusalSubject(req, id), (tx, scope) => command(tx, scope, ctx.actor, id, req));
    return planView(out.plan, out.items, today());
  };

  app.get(
    '/plans',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['plans'],
        summary: '年度日常检查计划列表 / annual routine plans (drafts visible to their agency and supervisors; published to all)',
        querystring: Type.Object({
          year: Type.Optional(Type.Integer({ minimum: 2025, maximum: 2100 })),
          agency: Type.Optional(AgencyCode),
          state: Type.Optional(PlanStateSchema),
          overdue: Type.Optional(Type.Boolean({ description: '仅列出未备案且已过3月31日的计划 / not filed and past the deadline' })),
          ...Page,
        }),
        response: responses(Type.Array(PlanView)),
      },
    },
    async (req) => {
      const { overdue, ...q } = req.query;
      const day = today();
      const rows = await listPlans(app.services.db, { ...q, ...(overdue ? { overdueOn: day } : {}), ...planVisibility(principalOf(req)) });
      return Promise.all(rows.map(async (p) => planView(p, await planItemsOf(app.services.db, p.id), day)));
    },
  );

  app.get(
    '/plans/:id',
    {
      config: { access: PERSON_ROLES },
      schema: { tags: ['plans'], summary: '年度日常检查计划及其审计历史 / one plan, its items and its history', params: IdParams, response: responses(PlanDetail) },
    },
    async (req) => {
      const db = app.services.db;
      const plan = await findPlan(db, req.params.id);
      if (!plan) throw DomainError.notFound('年度日常检查计划', req.params.id);
      if (!mayViewPlan(principalOf(req), plan, await findAgency(db, plan.agencyCode))) {
        throw new DomainError('OUT_OF_SCOPE', '未公布的检查计划仅本单位和司法行政部门可以查看');
      }
      const history = await listAudit(db, { subjectType: 'plan', subjectId: plan.id, limit: 500, offset: 0 });
      return { ...planView(plan, await planItemsOf(db, plan.id), today()), history: historyView(history) };
    },
  );

  /** The plan if the caller may see it (plan-access.ts), else the same refusal as GET /plans/{id}. */
  const visiblePlan = async (req: FastifyRequest, id: string) => {
    const db = app.services.db;
    const plan = await findPlan(db, id);
    if (!plan) throw DomainError.notFound('年度日常检查计划', id);
    if (!mayViewPlan(principalOf(req), plan, await findAgency(db, plan.agencyCode))) {
      throw new DomainError('OUT_OF_SCOPE', '未公布的检查计划仅本单位和司法行政部门可以查看');
    }
    return plan;
  };

  app.get(
    '/plans/:id/versions',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['plans'],
        summary: '计划的各备案版本（第十四条第二款）/ every filed version of a plan',
        params: IdParams,
        response: responses(Type.Array(PlanVersionView)),
      },
    },
    async (req) => (await planVersionsOf(app.services.db, (await visiblePlan(req, req.params.id)).id)).map(versionView),
  );

  app.get(
    '/plans/:id/versions/compare',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['plans'],
        summary: '比较两个备案版本，或最近备案版本与调整中的草稿（to 省略时）/ compare two filed versions, or the last filed one with the pending amendment',
        params: IdParams,
        querystring: Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: responses(PlanComparison),
      },
    },
    async (req) => {
      const db = app.services.db;
      const plan = await visiblePlan(req, req.params.id);
      const from = await findPlanVersion(db, plan.id, req.query.from);
      if (!from) throw DomainError.field('querystring.from', `计划没有第${req.query.from}版备案版本`);
      const to = req.query.to === undefined ? undefined : await findPlanVersion(db, plan.id, req.query.to);
      if (req.query.to !== undefined && !to) throw DomainError.field('querystring.to', `计划没有第${req.query.to}版备案版本`);
      const toItems = to ? to.items : (await planItemsOf(db, plan.id)).map(({ planId: _p, ...i }) => i);
      return { from: from.revision, to: to ? to.revision : null, ...diffItems(from.items, toItems) };
    },
  );

  app.post(
    '/plans',
    {
      config: { idempotent: true, access: ['officer', 'agency_head'] },
      schema: {
        tags: ['plans'],
        summary: '起草本单位年度日常检查计划（第十三条）/ draft the agency’s annual routine plan; accepts Idempotency-Key',
        body: Type.Object(
          {
            agencyCode: Type.Optional(AgencyCode),
            year: Type.Integer({ minimum: 2025, maximum: 2100, description: '计划年度 / plan year' }),
            items: Type.Array(PlanItemBody, { maxItems: 500, default: [] }),
          },
          { additionalProperties: false },
        ),
        response: responses(PlanView, 201),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      const input = { agencyCode: req.body.agencyCode ?? actor.agency ?? '', year: req.body.year, items: req.body.items ?? [] };
      assertTargets(input.items);
      const res = await runIdempotent(req, commandContext(req), refusalSubjectOf(app.services.db, { subjectType: 'agency', subjectId: input.agencyCode, agencyCode: input.agencyCode }), 201, async (tx, scope) => {
        const out = await draftPlan(tx, scope, actor, input);
        return planView(out.plan, out.items, shanghaiDate(scope.at));
      });
      return reply.status(res.status).send(res.body);
    },
  );

  app.patch(
    '/plans/:id',
    {
      config: { access: ['officer', 'agency_head'] },
      schema: {
        tags: ['plans'],
        summary: '修改草稿或被退回的计划（整体替换检查事项）/ replace the items of a draft or returned plan',
        params: IdParams,
        body: Type.Object({ version: Type.Integer({ minimum: 1, description: '读取时的 version / the version read' }), items: Type.Array(PlanItemBody, { maxItems: 500 }) }, { additionalProperties: false }),
        response: responses(PlanView),
      },
    },
    async (req) => {
      assertTargets(req.body.items);
      const body = req.body;
      return onPlan(req, (tx, scope, actor, id) => editPlan(tx, scope, actor, id, body));
    },
  );

  const action = (
    name: string,
    summary: string,
    access: readonly ('officer' | 'agency_head' | 'supervisor')[],
    command: PlanCommand,
    body?: ReturnType<typeof Reason>,
  ) =>
    app.post(
      `/plans/:id/${name}`,
      { config: { access }, schema: { tags: ['plans'], summary, params: IdParams, ...(body ? { body } : {}), response: responses(PlanView) } },
      async (req) => onPlan(req, command),
    );

  const reasonOf = (req: FastifyRequest) => (req.body as { reason: string }).reason;

  action('submit', '报送同级司法行政部门和上级主管部门备案（第十三条）/ submit for filing', ['agency_head'], submitPlan);
  action('file', '备案（同级司法行政部门，第十四条）/ file (same-level justice bureau)', ['supervisor'], filePlan);
  action(
    'return',
    '退回并说明理由（第十四条）/ return with reasons',
    ['supervisor'],
    (tx, s, actor, id, req) => returnPlan(tx, s, actor, id, reasonOf(req), app.services.config.plans),
    Reason('退回理由 / what to adjust'),
  );
  action('publish', '向社会公布（第十四条）/ publish', ['agency_head'], publishPlan);
  action(
    'amend',
    '调整已备案的计划，须重新备案（第十四条）/ amend a filed plan; it must be filed again',
    ['agency_head'],
    (tx, s, actor, id, req) => amendPlan(tx, s, actor, id, reasonOf(req)),
    Reason('调整理由 / why the plan is adjusted'),
  );
};

export default planRoutes;
