import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { listAudit } from '../../../audit/query.js';
import { isInsider } from '../../../auth/insiders.js';
import type { Principal } from '../../../auth/principal.js';
import { runCommand, type CommandScope, type RefusalSubject } from '../../../commands/command.js';
import type { Db } from '../../../db/client.js';
import { DomainError } from '../../../errors/domain-error.js';
import { commandContext } from '../../../http/context.js';
import { runIdempotent } from '../../../http/idempotency.js';
import { AgencyCode, Page, responses, ShortText } from '../../../http/schemas.js';
import { amendJointList, approveJointList, editJointList, proposeJointList, publishJointList, reviewJointList } from '../list-commands.js';
import { findJointList, listJointLists, type JointList } from '../lists.repository.js';
import { findAgency } from '../../../registry/agencies.repository.js';
import { finitePage, IdParams, JointEntry, JointListBody, JointListStateSchema, JointListView, jointListView } from '../schemas/joint-schemas.js';
import { HistoryEntry, historyView } from '../../../plans/schemas.js';
import { refusalSubjectOf } from '../../../registry/refusal-subject.js';

const PUBLIC_STATES = ['published', 'superseded'] as const;

/**
 * Published versions are public (向社会公布, Art. 27), superseded ones too (what was in force when);
 * versions on their way are for the proposing authority, the units it names, and supervisors.
 */
function mayView(p: Principal | undefined, l: JointList): boolean {
  if ((PUBLIC_STATES as readonly string[]).includes(l.state)) return true;
  if (!p) return false;
  if (p.role === 'admin' || p.role === 'supervisor') return !p.district || p.district === l.districtCode || p.agency === l.reviewBureauCode;
  if (p.role === 'officer' || p.role === 'agency_head') return p.agency === l.proposerAgencyCode || l.entries.some((e) => e.units.some((u) => u.agencyCode === p.agency));
  return false;
}

/** A list as an outsider sees it: who reviewed it and why it was returned stay inside (src/auth/insiders.ts). */
function viewFor(p: Principal | undefined, l: JointList) {
  const view = jointListView(l);
  return isInsider(p) ? view : { ...view, reviewedBy: null, returnedReason: null };
}

/** History for an outsider: what happened and in which role, not the login subject that did it. */
function historyFor(p: Principal | undefined, rows: Parameters<typeof historyView>[0]) {
  const history = historyView(rows);
  return isInsider(p) ? history : history.map((h) => ({ ...h, actor: h.role, payload: null }));
}

async function refusalSubject(req: FastifyRequest, id: string): Promise<RefusalSubject> {
  const db = req.server.services.db;
  const list = await findJointList(db, id);
  const agency = list ? await findAgency(db, list.proposerAgencyCode) : undefined;
  return { subjectType: 'joint_list', subjectId: id, agencyCode: list?.proposerAgencyCode ?? null, districtCode: agency?.districtCode ?? null };
}

type Command = (tx: Db, scope: CommandScope, actor: Principal, id: string) => Promise<JointList>;

/** “综合查一次”事项清单 (Art. 27): proposed → reviewed → approved → published, versioned by /amend. */
export const jointListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const onList = async (req: FastifyRequest, command: Command) => {
    const id = (req.params as { id: string }).id;
    const ctx = commandContext(req);
    return jointListView(await runCommand(ctx, await refusalSubject(req, id), (tx, scope) => command(tx, scope, ctx.actor, id)));
  };

  app.get(
    '/joint-lists',
    {
      config: { access: 'public' },
      schema: {
        tags: ['joint'],
        summary: '“综合查一次”事项清单列表（已公布的向社会公开）/ joint-matter lists; published ones are public',
        security: [],
        querystring: Type.Object({ state: Type.Optional(JointListStateSchema), proposer: Type.Optional(AgencyCode), ...Page }),
        response: responses(Type.Array(JointListView)),
      },
    },
    async (req) => {
      const rows = await listJointLists(app.services.db, { ...finitePage(req.query), state: req.query.state as JointList['state'] | undefined });
      return rows.filter((l) => mayView(req.principal, l)).map((l) => viewFor(req.principal, l));
    },
  );

  app.get(
    '/joint-lists/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['joint'],
        summary: '一份“综合查一次”事项清单及其审核、批准、公布记录 / one list version and its history',
        security: [],
        params: IdParams,
        response: responses(Type.Intersect([JointListView, Type.Object({ history: Type.Array(HistoryEntry) })])),
      },
    },
    async (req) => {
      const db = app.services.db;
      const list = await findJointList(db, req.params.id);
      if (!list || !mayView(req.principal, list)) throw DomainError.notFound('“综合查一次”事项清单', req.params.id);
      const history = await listAudit(db, { subjectType: 'joint_list', subjectId: list.id, limit: 200, offset: 0 });
      return { ...viewFor(req.principal, list), history: historyFor(req.principal, history) };
    },
  );

  app.post(
    '/joint-lists',
    {
      config: { idempotent: true, access: ['agency_head'] },
      schema: {
        tags: ['joint'],
        summary: '主管部门提出“综合查一次”事项清单，报同级司法行政部门审核（第二十七条）/ propose a joint list; accepts Idempotency-Key',
        body: JointListBody,
        response: responses(JointListView, 201),
      },
    },
    async (req, reply) => {
      const ctx = commandContext(req);
      const res = await runIdempotent(req, ctx, refusalSubjectOf(ctx.db, { subjectType: 'agency', subjectId: ctx.actor.agency ?? '', agencyCode: ctx.actor.agency }), 201, async (tx, scope) => jointListView(await proposeJointList(tx, scope, ctx.actor, req.body)));
      return reply.status(res.status).send(res.body);
    },
  );

  app.patch(
    '/joint-lists/:id',
    {
      config: { access: ['agency_head'] },
      schema: {
        tags: ['joint'],
        summary: '修改待审核或被退回的清单（被退回的随即重新报送）/ edit a proposed or returned list',
        params: IdParams,
        body: Type.Object({ title: Type.Optional(ShortText('清单名称 / title', 200)), entries: Type.Optional(Type.Array(JointEntry, { minItems: 1, maxItems: 100 })) }, { additionalProperties: false, minProperties: 1 }),
        response: responses(JointListView),
      },
    },
    async (req) => onList(req, (tx, scope, actor, id) => editJointList(tx, scope, actor, id, req.body)),
  );

  app.post(
    '/joint-lists/:id/review',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['joint'],
        summary: '同级司法行政部门审核：通过或退回（第二十七条）/ the same-level justice bureau passes or returns it',
        params: IdParams,
        body: Type.Object(
          { decision: Type.Union([Type.Literal('pass'), Type.Literal('return')], { description: 'pass 审核通过 | return 退回' }), opinion: ShortText('审核意见或退回理由 / opinion', 2000) },
          { additionalProperties: false },
        ),
        response: responses(JointListView),
      },
    },
    async (req) => onList(req, (tx, scope, actor, id) => reviewJointList(tx, scope, actor, id, req.body)),
  );

  app.post(
    '/joint-lists/:id/approve',
    {
      config: { access: ['agency_head'] },
      schema: {
        tags: ['joint'],
        summary: '登记本级人民政府的批准（批准机关、文号）/ record the same-level government’s approval',
        params: IdParams,
        body: Type.Object(
          { approverName: ShortText('批准机关，如 武汉市人民政府 / approving government', 100), approvalDocNo: ShortText('批准文号 / approval document number', 100) },
          { additionalProperties: false },
        ),
        response: responses(JointListView),
      },
    },
    async (req) => onList(req, (tx, scope, actor, id) => approveJointList(tx, scope, actor, id, req.body)),
  );

  app.post(
    '/joint-lists/:id/publish',
    {
      config: { access: ['agency_head'] },
      schema: { tags: ['joint'], summary: '向社会公布；原有效版本随即被替代 / publish; the version in force is superseded', params: IdParams, response: responses(JointListView) },
    },
    async (req) => onList(req, (tx, scope, actor, id) => publishJointList(tx, scope, actor, id)),
  );

  app.post(
    '/joint-lists/:id/amend',
    {
      config: { access: ['agency_head'] },
      schema: {
        tags: ['joint'],
        summary: '动态调整：提出新版本，走同一审核批准程序，公布前原版本继续有效 / propose the next version of a published list',
        params: IdParams,
        body: Type.Object({ ...JointListBody.properties, reason: ShortText('调整理由 / why', 1000) }, { additionalProperties: false }),
        response: responses(JointListView, 201),
      },
    },
    async (req, reply) => {
      const ctx = commandContext(req);
      const out = await runCommand(ctx, await refusalSubject(req, req.params.id), (tx, scope) => amendJointList(tx, scope, ctx.actor, req.params.id, req.body));
      return reply.status(201).send(jointListView(out));
    },
  );
};

export default jointListRoutes;
