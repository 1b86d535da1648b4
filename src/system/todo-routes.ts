import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, count, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { agencies, auditEntries, enterprises, flags, inspections, jointProposals, jointProposalUnits, referrals } from '../db/schema/index.js';
import { responses } from '../http/schemas.js';
import { currentChecks } from '../visits/current-checks.js';
import { findInspection } from '../visits/repository.js';
import { assertMayRead } from '../access/visits.js';
import { DomainError } from '../errors/domain-error.js';
import { RuleResultSchema } from '../visits/schemas/inspection-schemas.js';
import { addDays, shanghaiDate } from '../time/shanghai-date.js';
import { outcomeKinds } from '../visits/outcome.js';
import { flagJurisdiction } from '../supervision/flag-scope.js';
import { countNotices, listNotices } from '../supervision-notices/repository.js';

/**
 * GET /api/v1/me/todo: what waits for the signed-in person, by role (issue 24) — heads: schemes awaiting
 * approval; officers: schemes the head returned and referrals due (Art. 23); supervisors: new flags and
 * overdue referrals in their jurisdiction; enterprises: results notified to them and rectification
 * deadlines (Art. 20). Each list is counted in full (SQL count) and shows its first 20 entries; the apps show the
 * counts beside their navigation and the lists as notifications.
 */
const Entry = Type.Object({
  id: Type.String(),
  text: Type.String(),
  due: Type.Optional(Type.String({ description: '期限 / due date, YYYY-MM-DD' })),
  overdue: Type.Optional(Type.Boolean()),
  href: Type.String({ description: '应用内的链接 / where the app opens it' }),
});
const TodoList = Type.Object({
  key: Type.String(),
  title: Type.String(),
  count: Type.Integer(),
  entries: Type.Array(Entry),
});
const Todo = Type.Object({ total: Type.Integer(), lists: Type.Array(TodoList) });
type TodoList = { key: string; title: string; count: number; entries: { id: string; text: string; due?: string; overdue?: boolean; href: string }[] };

const SHOWN = 20;
const list = (key: string, title: string, count: number, entries: TodoList['entries']): TodoList => ({ key, title, count, entries });

/**
 * Counts run in SQL (`count(*)`) and only the first SHOWN rows are read: a list may hold thousands of
 * entries (a district's open flags), and the count beside the navigation must be right, not capped.
 */
async function counted(q: Promise<{ n: number }[]>): Promise<number> {
  const [row] = await q;
  return Number(row?.n ?? 0);
}

async function namesOf(db: Db, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.select({ code: enterprises.creditCode, name: enterprises.name }).from(enterprises).where(inArray(enterprises.creditCode, [...new Set(codes)]));
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The action of the latest entry about a draft among drafted/amended/returned: a return is answered by an amendment after it. */
const lastDraftAction = sql<string | null>`(select ${auditEntries.action} from ${auditEntries}
  where ${auditEntries.subjectType} = 'inspection' and ${auditEntries.subjectId} = ${inspections.id}::text
    and ${auditEntries.action} in ('inspection.drafted', 'inspection.amended', 'inspection.returned')
  order by ${auditEntries.id} desc limit 1)`;

/**
 * 综合查一次 proposals waiting for this unit's answer (Art. 28: 协同单位应当…参与): the head answers; the
 * officers see them too, since the answer names who of them is sent. Due by the proposal's respond-by date.
 */
async function proposalsAwaiting(db: Db, p: Principal, today: string): Promise<TodoList> {
  const waiting = and(eq(jointProposalUnits.agencyCode, p.agency!), eq(jointProposalUnits.state, 'pending'), eq(jointProposals.state, 'open'));
  const [rows, n] = await Promise.all([
    db.select({ proposal: jointProposals, role: jointProposalUnits.role }).from(jointProposalUnits).innerJoin(jointProposals, eq(jointProposals.id, jointProposalUnits.proposalId)).where(waiting).orderBy(jointProposals.respondBy).limit(SHOWN),
    counted(db.select({ n: count() }).from(jointProposalUnits).innerJoin(jointProposals, eq(jointProposals.id, jointProposalUnits.proposalId)).where(waiting)),
  ]);
  const names = await namesOf(db, rows.map((r) => r.proposal.enterpriseCode));
  const title = p.role === 'agency_head' ? '待答复的联合检查建议（第二十八条）' : '待本单位负责人答复的联合检查建议';
  return list(
    'proposals',
    title,
    n,
    rows.map(({ proposal: x, role }) => {
      const due = shanghaiDate(x.respondBy);
      return { id: x.id, text: `${names.get(x.enterpriseCode) ?? x.enterpriseCode}（${role === 'lead' ? '本单位为发起单位' : '本单位为协同单位'}，联合检查日 ${shanghaiDate(x.windowStart)}）`, due, overdue: due < today, href: `#/proposals/${x.id}` };
    }),
  );
}

async function agencyTodo(db: Db, p: Principal, today: string): Promise<TodoList[]> {
  const draftsOfAgency = and(eq(inspections.agencyCode, p.agency!), eq(inspections.state, 'draft'));
  const entry = (names: Map<string, string>, i: typeof inspections.$inferSelect, extra = '') => ({ id: i.id, text: `${names.get(i.enterpriseCode) ?? i.enterpriseCode}${extra}`, due: shanghaiDate(i.windowStart), href: `#/inspection/${i.id}` });
  if (p.role === 'agency_head') {
    const [drafts, draftCount, notices, noticeCount] = await Promise.all([
      db.select().from(inspections).where(draftsOfAgency).orderBy(inspections.windowStart).limit(SHOWN),
      counted(db.select({ n: count() }).from(inspections).where(draftsOfAgency)),
      // 督办 (Art. 6 ¶2) speaks to the agency; its head answers.
      listNotices(db, p, { state: 'sent' }, today, { limit: SHOWN, offset: 0 }),
      countNotices(db, p, { state: 'sent' }, today),
    ]);
    const names = await namesOf(db, drafts.map((d) => d.enterpriseCode));
    return [
      await proposalsAwaiting(db, p, today),
      list('approvals', '待批准的检查方案', draftCount, drafts.map((i) => ({ ...entry(names, i, i.failedChecksReason ? '（预检有未通过的规则，附理由）' : ''), href: '#/approvals' }))),
      list('notices', '待答复的督办', noticeCount, notices.map(({ notice: n, rule }) => ({ id: n.id, text: n.request || rule, due: n.dueDate, overdue: n.dueDate < today, href: '#/supervision' }))),
    ];
  }
  const isReturned = and(draftsOfAgency, eq(lastDraftAction, 'inspection.returned'));
  const referralsDue = or(
    and(eq(referrals.agencyCode, p.agency!), eq(referrals.state, 'opened')),
    and(eq(referrals.competentAgencyCode, p.agency!), inArray(referrals.state, ['sent', 'received', 'escalated'])),
  );
  const [returned, returnedCount, due, dueCount] = await Promise.all([
    db.select().from(inspections).where(isReturned).orderBy(inspections.windowStart).limit(SHOWN),
    counted(db.select({ n: count() }).from(inspections).where(isReturned)),
    db.select().from(referrals).where(referralsDue).orderBy(referrals.dueDate).limit(SHOWN),
    counted(db.select({ n: count() }).from(referrals).where(referralsDue)),
  ]);
  const names = await namesOf(db, returned.map((d) => d.enterpriseCode));
  const reasons = returned.length
    ? await db
        .select({ subjectId: auditEntries.subjectId, payload: auditEntries.payload })
        .from(auditEntries)
        .where(and(eq(auditEntries.subjectType, 'inspection'), inArray(auditEntries.subjectId, returned.map((d) => d.id)), eq(auditEntries.action, 'inspection.returned')))
        .orderBy(desc(auditEntries.id))
    : [];
  const reason = new Map<string, string>();
  for (const r of reasons) if (!reason.has(r.subjectId)) reason.set(r.subjectId, String((r.payload as { reason?: string } | null)?.reason ?? ''));
  return [
    await proposalsAwaiting(db, p, today),
    list('returned', '负责人退回的检查方案', returnedCount, returned.map((d) => entry(names, d, `：${reason.get(d.id) ?? ''}`))),
    list(
      'referrals',
      '待移送、待受理的移送（第二十三条）',
      dueCount,
      due.map((r) => ({ id: r.id, text: `${r.agencyCode === p.agency ? '待移送' : '待受理'}：${r.description}`, due: r.dueDate ?? undefined, overdue: r.dueDate !== null && r.dueDate < today, href: `#/referrals/${r.id}` })),
    ),
  ];
}

async function supervisorTodo(db: Db, p: Principal, today: string): Promise<TodoList[]> {
  // The flags this supervisor reviews: the same level rule as the register (Art. 6, src/supervision/flag-scope.ts).
  const openFlags = and(eq(flags.state, 'open'), flagJurisdiction(db, p));
  const own = p.district ? db.select({ code: agencies.code }).from(agencies).where(eq(agencies.districtCode, p.district)) : undefined;
  const overdueReferrals = and(
    inArray(referrals.state, ['opened', 'sent', 'received', 'escalated']),
    lt(referrals.dueDate, today),
    own ? or(inArray(referrals.agencyCode, own), inArray(referrals.competentAgencyCode, own)) : undefined,
  );
  const [open, openCount, overdue, overdueCount, late, lateCount, answered, answeredCount] = await Promise.all([
    db.select().from(flags).where(openFlags).orderBy(desc(flags.raisedAt)).limit(SHOWN),
    counted(db.select({ n: count() }).from(flags).where(openFlags)),
    db.select().from(referrals).where(overdueReferrals).orderBy(referrals.dueDate).limit(SHOWN),
    counted(db.select({ n: count() }).from(referrals).where(overdueReferrals)),
    listNotices(db, p, { overdue: true }, today, { limit: SHOWN, offset: 0 }),
    countNotices(db, p, { overdue: true }, today),
    listNotices(db, p, { state: 'answered' }, today, { limit: SHOWN, offset: 0 }),
    countNotices(db, p, { state: 'answered' }, today),
  ]);
  return [
    list('flags', '新的违规标记', openCount, open.map((f) => ({ id: f.id, text: f.detail ?? f.rule, href: `#/flags/${f.id}` }))),
    list('overdue', '已逾期的移送（第二十三条）', overdueCount, overdue.map((r) => ({ id: r.id, text: r.description, due: r.dueDate ?? undefined, overdue: true, href: `#/referrals?id=${r.id}` }))),
    list('overdueNotices', '逾期未答复的督办', lateCount, late.map(({ notice: n, agencyName }) => ({ id: n.id, text: `${agencyName ?? ''}：${n.request}`, due: n.dueDate, overdue: true, href: `#/notices/${n.id}` }))),
    list('answeredNotices', '已答复待审核的督办', answeredCount, answered.map(({ notice: n, agencyName }) => ({ id: n.id, text: `${agencyName ?? ''}：${n.request}`, due: n.dueDate, href: `#/notices/${n.id}` }))),
  ];
}

/**
 * 第二十条: an order to stop or rectify may stand beside other outcomes (a penalty referral), so every kind is
 * read — `kinds` when the row has it, the single `kind` of older rows otherwise (outcomeKinds, in SQL).
 */
const ordersFollowUp = sql`(case when jsonb_typeof(${inspections.outcome}->'kinds') = 'array' and jsonb_array_length(${inspections.outcome}->'kinds') > 0
  then (${inspections.outcome}->'kinds') @> '["rectification"]'::jsonb or (${inspections.outcome}->'kinds') @> '["stop_order"]'::jsonb
  else coalesce(${inspections.outcome}->>'kind' in ('rectification', 'stop_order'), false) end)`;

async function enterpriseTodo(db: Db, p: Principal, today: string): Promise<TodoList[]> {
  const since = new Date(`${addDays(today, -30)}T00:00:00+08:00`);
  const notified = and(eq(inspections.enterpriseCode, p.creditCode!), inArray(inspections.state, ['result_notified', 'closed', 'archived']), gte(inspections.updatedAt, since));
  const dueDate = sql<string>`${inspections.outcome}->>'dueDate'`;
  const deadlinesOpen = and(eq(inspections.enterpriseCode, p.creditCode!), inArray(inspections.state, ['findings_recorded', 'result_notified', 'closed']), ordersFollowUp, gte(dueDate, today));
  const [rows, rowCount, open, openCount] = await Promise.all([
    db.select().from(inspections).where(notified).orderBy(desc(inspections.updatedAt)).limit(SHOWN),
    counted(db.select({ n: count() }).from(inspections).where(notified)),
    db.select().from(inspections).where(deadlinesOpen).orderBy(dueDate).limit(SHOWN),
    counted(db.select({ n: count() }).from(inspections).where(deadlinesOpen)),
  ]);
  return [
    list('results', '近 30 日告知的检查结果', rowCount, rows.map((i) => ({ id: i.id, text: `检查结果已告知（${shanghaiDate(i.updatedAt)}）`, href: `#/inspections/${i.id}` }))),
    list(
      'deadlines',
      '整改期限',
      openCount,
      open.map((i) => {
        const o = i.outcome as { dueDate?: string; noticeNo?: string };
        return { id: i.id, text: `${outcomeKinds(i.outcome).includes('stop_order') ? '责令停止' : '责令改正'}${o.noticeNo ? `（${o.noticeNo}）` : ''}`, due: o.dueDate, href: `#/inspections/${i.id}` };
      }),
    ),
  ];
}

export const meTodoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/me/todo',
    {
      config: { access: ['officer', 'agency_head', 'supervisor', 'enterprise'] },
      schema: {
        tags: ['system'],
        summary: '待办与通知（按身份）/ the caller’s to-do counts and notifications, by role',
        response: responses(Todo),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const db = app.services.db;
      const today = shanghaiDate(app.services.clock.now());
      const lists = p.role === 'supervisor' ? await supervisorTodo(db, p, today) : p.role === 'enterprise' ? await enterpriseTodo(db, p, today) : await agencyTodo(db, p, today);
      return { total: lists.reduce((n, l) => n + l.count, 0), lists };
    },
  );

  app.get(
    '/inspections/:id/checks',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: {
        tags: ['inspections'],
        summary: '检查方案当前的规则检查结果与未通过仍提交的理由（负责人审批前查看）/ the scheme’s rule results now, and the reason it was submitted despite failures',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: responses(Type.Object({ checks: Type.Array(RuleResultSchema), failedChecksReason: Type.Union([Type.String(), Type.Null()]) })),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const i = await findInspection(app.services.db, req.params.id);
      if (!i) throw DomainError.notFound('行政检查', req.params.id);
      await assertMayRead(app.services.db, p, i, app.services.clock.now());
      return { checks: await currentChecks(app.services.db, i), failedChecksReason: i.failedChecksReason };
    },
  );
};

export default meTodoRoutes;
