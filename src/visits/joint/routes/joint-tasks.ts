import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CodeFactsView } from '../../schemas/code-schemas.js';
import type { FastifyRequest } from 'fastify';
import { Type, type Static, type TObject, type TProperties } from 'typebox';
import type { Principal } from '../../../auth/principal.js';
import { principalOf } from '../../../auth/plugin.js';
import { runCommand, type CommandScope } from '../../../commands/command.js';
import type { Db } from '../../../db/client.js';
import { commandContext } from '../../../http/context.js';
import { runIdempotent } from '../../../http/idempotency.js';
import { CreditCode, Page, responses, ShortText } from '../../../http/schemas.js';
import { checkUrl } from '../../../codes/signed-code.js';
import { issueJointCodes } from '../task-code.js';
import { launchJointTask } from '../task-launch.js';
import { loadTaskDetail } from '../task-read.js';
import { acceptUnit, approveUnit, assignUnit, declineUnit, type UnitStepResult } from '../task-units.js';
import { listJointTasks } from '../tasks.repository.js';
import { jointTaskRefusalSubject } from '../refusal-subject.js';
import { RuleResultSchema } from '../../schemas/inspection-schemas.js';
import { finitePage, IdParams, JointTaskView, jointTaskView, LaunchBody, Officers } from '../schemas/joint-schemas.js';
import { MatterCode } from '../../../plans/schemas.js';
import { refusalSubjectOf } from '../../../registry/refusal-subject.js';
import { EscalationGround } from '../../schemas/inspection-schemas.js';

type UnitStep<B> = (tx: Db, scope: CommandScope, actor: Principal, id: string, body: B) => Promise<UnitStepResult>;

/** “综合查一次” tasks (Art. 28–31): launched and assigned on the platform (Art. 29), one code per visit. */
export const jointTaskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const settings = () => app.services.config.joint;
  const detail = async (req: FastifyRequest, id: string) => jointTaskView(await loadTaskDetail(app.services.db, principalOf(req), id), principalOf(req));

  app.post(
    '/joint-tasks',
    {
      config: { idempotent: true, access: ['agency_head'] },
      schema: {
        tags: ['joint'],
        summary: '发起单位负责人依据已公布的事项清单线上发起“综合查一次”任务（第二十九条）/ launch a joint task; accepts Idempotency-Key',
        body: LaunchBody,
        response: responses(Type.Object({ task: JointTaskView, checks: Type.Array(RuleResultSchema, { description: '各单位检查事项列入年度计划情况（第二十八条）/ JOINT_IN_PLAN per unit' }) }), 201),
      },
    },
    async (req, reply) => {
      const ctx = commandContext(req);
      const res = await runIdempotent(req, ctx, refusalSubjectOf(ctx.db, { subjectType: 'agency', subjectId: ctx.actor.agency ?? '', agencyCode: ctx.actor.agency }), 201, async (tx, scope) => {
        const out = await launchJointTask(tx, scope, ctx.actor, settings(), req.body);
        return { taskId: out.task.id, checks: out.checks };
      });
      return reply.status(res.status).send({ task: await detail(req, res.body.taskId), checks: res.body.checks });
    },
  );

  app.get(
    '/joint-tasks',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: {
        tags: ['joint'],
        summary: '本单位参与的或辖区内的“综合查一次”任务 / joint tasks within the caller’s scope',
        querystring: Type.Object({
          enterprise: Type.Optional(CreditCode),
          state: Type.Optional(Type.Union(['launched', 'approved', 'code_issued', 'closed', 'cancelled'].map((s) => Type.Literal(s)))),
          ...Page,
        }),
        response: responses(Type.Array(JointTaskView)),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const rows = await listJointTasks(app.services.db, {
        ...finitePage(req.query),
        state: req.query.state as never,
        agency: p.role === 'supervisor' ? undefined : p.agency,
        district: p.role === 'supervisor' ? p.district : undefined,
      });
      return Promise.all(rows.map((t) => detail(req, t.id)));
    },
  );

  app.get(
    '/joint-tasks/:id',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: { tags: ['joint'], summary: '任务详情：各单位分工、拒绝理由、批准、检查码与各次检查 / one joint task', params: IdParams, response: responses(JointTaskView) },
    },
    async (req) => detail(req, req.params.id),
  );

  /** A unit step: POST /joint-tasks/:id/<name>, answered with the task as it now stands. */
  function unitStep<B extends TObject>(name: string, summary: string, body: B, run: UnitStep<Static<B>>, roles: ('officer' | 'agency_head')[] = ['officer', 'agency_head']) {
    app.post(
      `/joint-tasks/:id/${name}`,
      { config: { access: roles }, schema: { tags: ['joint'], summary, params: IdParams, body, response: responses(JointTaskView) } },
      async (req) => {
        const id = (req.params as { id: string }).id;
        await runCommand(commandContext(req), await jointTaskRefusalSubject(app.services.db, id), (tx, scope) => run(tx, scope, principalOf(req), id, req.body as Static<B>));
        return detail(req, id);
      },
    );
  }
  const body = <P extends TProperties>(props: P) => Type.Object(props, { additionalProperties: false });

  unitStep(
    'assign',
    '发起单位线上分配协同单位的检查事项（第二十九条）/ the lead assigns a cooperating unit its part',
    body({
      agencyCode: Type.String({ minLength: 2, maxLength: 64, description: '协同单位 / cooperating unit' }),
      matterCodes: Type.Optional(Type.Array(MatterCode, { minItems: 1, maxItems: 20, description: '分配的事项（默认清单所列全部）/ matters assigned' })),
      note: Type.Optional(Type.String({ maxLength: 1000 })),
    }),
    (tx, scope, actor, id, b) => assignUnit(tx, scope, actor, id, b),
  );
  unitStep(
    'accept',
    '协同单位接受分工并派出检查人员（第二十八条）/ a cooperating unit accepts and names its officers',
    body({
      inspectors: Officers,
      escalationGround: Type.Optional(EscalationGround),
      assistanceRef: Type.Optional(ShortText('异地协助安排（第十二条）', 500)),
      onsiteReason: Type.Optional(ShortText('非现场检查不能达到目的的理由（第三十二条）', 500)),
    }),
    (tx, scope, actor, id, b) => acceptUnit(tx, scope, actor, settings(), id, b),
  );
  unitStep(
    'decline',
    '协同单位拒绝分工，须说明法定理由（发起单位和司法行政部门可见）/ decline with a legal reason',
    body({ reason: ShortText('拒绝理由 / reason', 1000), legalBasis: ShortText('法律依据 / legal basis', 500) }),
    (tx, scope, actor, id, b) => declineUnit(tx, scope, actor, id, b),
  );
  unitStep(
    'approve',
    '各单位负责人批准本单位的检查方案（第十七条第（一）项）/ each unit’s head approves its part',
    body({ note: Type.Optional(Type.String({ maxLength: 1000 })) }),
    (tx, scope, actor, id, b) => approveUnit(tx, scope, actor, id, b.note),
    ['agency_head'],
  );

  const IssuedCode = Type.Object({
    enterpriseCode: Type.String(),
    code: Type.String({ description: '联合检查码 / the visit’s one code' }),
    kid: Type.String(),
    signature: Type.String(),
    inspectionId: Type.String({ description: '检查码所在的发起单位检查记录 / the lead unit’s row holding the code' }),
    checkUrl: Type.String(),
    facts: CodeFactsView,
    validFrom: Type.String({ description: '生效时间：任务登记时间的开始，或（已开始的）签发时间 / effective start' }),
    validFromIssuance: Type.Boolean({ description: '自签发时起生效 / valid only from issuance' }),
    validityNote: Type.Union([Type.String(), Type.Null()]),
  });

  app.post(
    '/joint-tasks/:id/code',
    {
      config: { idempotent: true, access: ['officer', 'agency_head'] },
      schema: {
        tags: ['joint', 'codes'],
        summary: '获取联合检查码：每家企业一个码，列明全部参与单位和事项；同一事务中复核各单位全部规则 / one code per visit, re-checking every unit',
        params: IdParams,
        response: responses(Type.Object({ codes: Type.Array(IssuedCode) }), 201),
      },
    },
    async (req, reply) => {
      const ctx = commandContext(req);
      const { keyring, config } = app.services;
      const res = await runIdempotent(req, ctx, await jointTaskRefusalSubject(app.services.db, req.params.id), 201, async (tx, scope) => {
        const issued = await issueJointCodes(tx, scope, ctx.actor, keyring, settings(), req.params.id);
        return { codes: issued.map((c) => ({ ...c, checkUrl: checkUrl(config.publicBaseUrl, c.code, c.kid, c.signature, c.facts) })) };
      });
      return reply.status(res.status).send(res.body);
    },
  );

};

export default jointTaskRoutes;
