import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { listAudit } from '../audit/query.js';
import { principalOf } from '../auth/plugin.js';
import { PERSON_ROLES, type Principal } from '../auth/principal.js';
import { runCommand, type CommandScope, type RefusalSubject } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { runIdempotent } from '../http/idempotency.js';
import { AgencyCode, CalendarDate, Page, responses, ShortText, Uuid } from '../http/schemas.js';
import { mayViewPlan, planVisibility } from '../access/index.js';
import { createSpecialPlan } from './special-plan-create.js';
import { amendSpecialPlan, approveSpecialPlan, editSpecialPlan, publishSpecialPlan } from './special-plan-commands.js';
import { fileSpecialPlan, returnSpecialPlan } from './special-plan-filing.js';
import { specialPlanVersionsOf } from './special-plan-versions.repository.js';
import { findSpecialPlan, listSpecialPlans, type SpecialPlan } from './special-plans.repository.js';
import { findAgency } from '../registry/agencies.repository.js';
import {
  historyView,
  MatterCode,
  SpecialPlanDetail,
  SpecialPlanStateSchema,
  SpecialPlanVersionView,
  SpecialPlanView,
  specialPlanVersionView,
  specialPlanView,
} from './schemas.js';

const IdParams = Type.Object({ id: Uuid });
const Fields = {
  title: ShortText('专项检查计划名称 / title', 200),
  focus: ShortText('针对的地区或领域突出问题 / the prominent problem of an area or field', 2000),
  matterCodes: Type.Array(MatterCode, { minItems: 1, maxItems: 100, uniqueItems: true, description: '检查事项 / matters' }),
  startDate: CalendarDate,
  endDate: CalendarDate,
};

async function refusalSubject(req: FastifyRequest, id: string): Promise<RefusalSubject> {
  const db = req.server.services.db;
  const plan = await findSpecialPlan(db, id);
  const agency = plan ? await findAgency(db, plan.agencyCode) : undefined;
  return { subjectType: 'special_plan', subjectId: id, agencyCode: plan?.agencyCode ?? null, districtCode: agency?.districtCode ?? null };
}

type Command = (tx: Db, scope: CommandScope, actor: Principal, id: string, req: FastifyRequest) => Promise<SpecialPlan>;

const Reason = (description: string) => Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000, description }) }, { additionalProperties: false });
const reasonOf = (req: FastifyRequest) => (req.body as { reason: string }).reason;

/** Who may read a plan: a deployed plan is as public as the deployment it executes. */
async function assertMayView(req: FastifyRequest, plan: SpecialPlan): Promise<void> {
  const visible = plan.state === 'deployed' ? { ...plan, state: 'published' } : plan;
  if (!mayViewPlan(principalOf(req), visible, await findAgency(req.server.services.db, plan.agencyCode))) {
    throw new DomainError('OUT_OF_SCOPE', '未公布的专项检查计划仅本单位和司法行政部门可以查看');
  }
}

/**
 * 专项检查计划 (Art. 13–15): draft → approved (reported) → filed / returned → published, amended as a new
 * revision; or deployed from an upper-level deployment (a plan held here, or cited by authority and 文号).
 */
export const specialPlanRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const onPlan = async (req: FastifyRequest, command: Command) => {
    const id = (req.params as { id: string }).id;
    const ctx = commandContext(req);
    return specialPlanView(await runCommand(ctx, await refusalSubject(req, id), (tx, scope) => command(tx, scope, ctx.actor, id, req)));
  };

  app.get(
    '/special-plans',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['plans'],
        summary: '专项检查计划列表 / special plans (drafts visible to their agency and supervisors)',
        querystring: Type.Object({
          agency: Type.Optional(AgencyCode),
          state: Type.Optional(SpecialPlanStateSchema),
          year: Type.Optional(Type.Integer({ minimum: 2025, maximum: 2100, description: '实施期间与该年度有交集 / window overlaps the year' })),
          ...Page,
        }),
        response: responses(Type.Array(SpecialPlanView)),
      },
    },
    async (req) => (await listSpecialPlans(app.services.db, { ...req.query, ...planVisibility(principalOf(req)) })).map(specialPlanView),
  );

  app.get(
    '/special-plans/:id',
    {
      config: { access: PERSON_ROLES },
      schema: { tags: ['plans'], summary: '专项检查计划及其审计历史 / one special plan and its history', params: IdParams, response: responses(SpecialPlanDetail) },
    },
    async (req) => {
      const db = app.services.db;
      const plan = await findSpecialPlan(db, req.params.id);
      if (!plan) throw DomainError.notFound('专项检查计划', req.params.id);
      await assertMayView(req, plan);
      const history = await listAudit(db, { subjectType: 'special_plan', subjectId: plan.id, limit: 500, offset: 0 });
      return { ...specialPlanView(plan), history: historyView(history) };
    },
  );

  app.post(
    '/special-plans',
    {
      config: { idempotent: true, access: ['officer', 'agency_head'] },
      schema: {
        tags: ['plans'],
        summary:
          '起草专项检查计划，或登记执行上级部署的专项检查（deployedFromId，或 deploymentAuthority + deploymentDocNo）/ draft a special plan or record an upper-level deployment; accepts Idempotency-Key',
        body: Type.Object(
          {
            agencyCode: Type.Optional(AgencyCode),
            ...Fields,
            deployedFromId: Type.Optional(Type.String({ format: 'uuid', description: '上级主管部门已公布的专项检查计划 / the upper authority’s published special plan' })),
            deploymentAuthority: Type.Optional(
              Type.String({ maxLength: 200, description: '部署机关（如省、国家主管部门），引用文件登记上级部署时必填 / issuing authority of a deployment not held here' }),
            ),
            deploymentDocNo: Type.Optional(Type.String({ maxLength: 100, description: '部署文件文号 / its document number' })),
          },
          { additionalProperties: false },
        ),
        response: responses(SpecialPlanView, 201),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      const input = { ...req.body, agencyCode: req.body.agencyCode ?? actor.agency ?? '' };
      // Only a claimed deployment can be refused by a rule; it is recorded against the plan it cites.
      const refusal = input.deployedFromId ? { subjectType: 'special_plan', subjectId: input.deployedFromId, agencyCode: input.agencyCode } : { subjectType: 'agency', subjectId: input.agencyCode, agencyCode: input.agencyCode };
      const res = await runIdempotent(req, commandContext(req), refusal, 201, async (tx, scope) =>
        specialPlanView(await createSpecialPlan(tx, scope, actor, input)),
      );
      return reply.status(res.status).send(res.body);
    },
  );

  app.patch(
    '/special-plans/:id',
    {
      config: { access: ['officer', 'agency_head'] },
      schema: {
        tags: ['plans'],
        summary: '修改草稿 / edit a draft special plan',
        params: IdParams,
        body: Type.Object({ version: Type.Integer({ minimum: 1 }), ...Fields }, { additionalProperties: false }),
        response: responses(SpecialPlanView),
      },
    },
    async (req) => {
      const body = req.body;
      return onPlan(req, (tx, scope, actor, id) => editSpecialPlan(tx, scope, actor, id, body));
    },
  );

  app.post(
    '/special-plans/:id/approve',
    {
      config: { access: ['agency_head'] },
      schema: {
        tags: ['plans'],
        summary: '登记同级人民政府或垂直管理上级部门的批准（第十三条）/ record the approval',
        params: IdParams,
        body: Type.Object(
          {
            approverKind: Type.Union([Type.Literal('same_level_government'), Type.Literal('upper_authority')], {
              description: 'same_level_government 同级人民政府 | upper_authority 垂直管理的上级主管部门',
            }),
            approverName: ShortText('批准机关 / approving authority', 200),
            approvalDocNo: ShortText('批准文号 / approval document number', 100),
          },
          { additionalProperties: false },
        ),
        response: responses(SpecialPlanView),
      },
    },
    async (req) => {
      const approval = req.body;
      return onPlan(req, (tx, scope, actor, id) => approveSpecialPlan(tx, scope, actor, id, approval, app.services.config.specialPlans));
    },
  );

  app.post(
    '/special-plans/:id/return',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['plans'],
        summary: '退回并说明理由（第十四条）/ return with reasons',
        params: IdParams,
        body: Reason('退回理由：需调整的内容 / what to adjust'),
        response: responses(SpecialPlanView),
      },
    },
    async (req) => onPlan(req, (tx, scope, actor, id) => returnSpecialPlan(tx, scope, actor, id, reasonOf(req))),
  );

  app.post(
    '/special-plans/:id/amend',
    {
      config: { access: ['agency_head'] },
      schema: {
        tags: ['plans'],
        summary: '调整已备案的专项检查计划，须重新批准、备案（第十四条第二款）/ amend a filed special plan; approved and filed again',
        params: IdParams,
        body: Reason('调整理由 / why the plan is adjusted'),
        response: responses(SpecialPlanView),
      },
    },
    async (req) => onPlan(req, (tx, scope, actor, id) => amendSpecialPlan(tx, scope, actor, id, reasonOf(req))),
  );

  app.get(
    '/special-plans/:id/versions',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['plans'],
        summary: '专项检查计划的各备案版本（第十四条；已公布的版本公开）/ every filed version of a special plan (published ones to anyone)',
        params: IdParams,
        response: responses(Type.Array(SpecialPlanVersionView)),
      },
    },
    async (req) => {
      const db = app.services.db;
      const plan = await findSpecialPlan(db, req.params.id);
      if (!plan) throw DomainError.notFound('专项检查计划', req.params.id);
      const versions = await specialPlanVersionsOf(db, plan.id);
      // A published version stays public while the plan is being adjusted (Art. 14: 依法向社会公布).
      const published = versions.filter((v) => v.publishedAt !== null);
      try {
        await assertMayView(req, plan);
      } catch (err) {
        if (published.length === 0) throw err;
        return published.map(specialPlanVersionView);
      }
      return versions.map(specialPlanVersionView);
    },
  );

  app.post(
    '/special-plans/:id/file',
    { config: { access: ['supervisor'] }, schema: { tags: ['plans'], summary: '备案（同级司法行政部门）/ file', params: IdParams, response: responses(SpecialPlanView) } },
    async (req) => onPlan(req, fileSpecialPlan),
  );

  app.post(
    '/special-plans/:id/publish',
    { config: { access: ['agency_head'] }, schema: { tags: ['plans'], summary: '向社会公布 / publish', params: IdParams, response: responses(SpecialPlanView) } },
    async (req) => onPlan(req, publishSpecialPlan),
  );
};

export default specialPlanRoutes;
