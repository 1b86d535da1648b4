import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, desc, eq, gte, inArray, lt, or } from 'drizzle-orm';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { agencies, auditEntries, enterprises, flags, inspections, referrals } from '../db/schema/index.js';
import { responses } from '../http/schemas.js';
import { currentChecks } from '../visits/current-checks.js';
import { findInspection } from '../visits/repository.js';
import { assertMayRead } from '../access/visits.js';
import { DomainError } from '../errors/domain-error.js';
import { RuleResultSchema } from '../visits/schemas/inspection-schemas.js';
import { addDays, shanghaiDate } from '../time/shanghai-date.js';
import { outcomeKinds } from '../visits/outcome.js';
import { flagJurisdiction } from '../supervision/flag-scope.js';
import { listNotices } from '../supervision-notices/repository.js';

/**
 * GET /api/v1/me/todo: what waits for the signed-in person, by role (issue 24) — heads: schemes awaiting
 * approval; officers: schemes the head returned and referrals due (Art. 23); supervisors: new flags and
 * overdue referrals in their jurisdiction; enterprises: results notified to them and rectification
 * deadlines (Art. 20). Each list is counted in full and shows its first entries; the apps show the
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
const list = (key: string, title: string, entries: TodoList['entries']): TodoList => ({ key, title, count: entries.length, entries: entries.slice(0, SHOWN) });

async function namesOf(db: Db, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.select({ code: enterprises.creditCode, name: enterprises.name }).from(enterprises).where(inArray(enterprises.creditCode, [...new Set(codes)]));
  return new Map(rows.map((r) => [r.code, r.name]));
}

async function agencyTodo(db: Db, p: Principal, today: string): Promise<TodoList[]> {
  const drafts = await db.select().from(inspections).where(and(eq(inspections.agencyCode, p.agency!), eq(inspections.state, 'draft'))).orderBy(inspections.windowStart).limit(500);
  const names = await namesOf(db, drafts.map((d) => d.enterpriseCode));
  const entry = (i: (typeof drafts)[number], extra = '') => ({ id: i.id, text: `${names.get(i.enterpriseCode) ?? i.enterpriseCode}${extra}`, due: shanghaiDate(i.windowStart), href: `#/inspection/${i.id}` });
  if (p.role === 'agency_head') {
    // 督办 (Art. 6 ¶2) speaks to the agency; its head answers.
    const notices = await listNotices(db, p, { state: 'sent' }, today, { limit: 500, offset: 0 });
    return [
      list('approvals', '待批准的检查方案', drafts.map((i) => ({ ...entry(i, i.failedChecksReason ? '（预检有未通过的规则，附理由）' : ''), href: '#/approvals' }))),
      list('notices', '待答复的督办', notices.map(({ notice: n, rule }) => ({ id: n.id, text: n.request || rule, due: n.dueDate, overdue: n.dueDate < today, href: '#/supervision' }))),
    ];
  }
  // Returned: the last entry about the draft is the head's return (an amendment after it answers it).
  const last = drafts.length
    ? await db
        .select({ subjectId: auditEntries.subjectId, action: auditEntries.action, payload: auditEntries.payload })
        .from(auditEntries)
        .where(and(eq(auditEntries.subjectType, 'inspection'), inArray(auditEntries.subjectId, drafts.map((d) => d.id)), inArray(auditEntries.action, ['inspection.drafted', 'inspection.amended', 'inspection.returned'])))
        .orderBy(desc(auditEntries.id))
    : [];
  const latest = new Map<string, { action: string; payload: unknown }>();
  for (const row of last) if (!latest.has(row.subjectId)) latest.set(row.subjectId, row);
  const returned = drafts.filter((d) => latest.get(d.id)?.action === 'inspection.returned');
  const due = await db
    .select()
    .from(referrals)
    .where(
      or(
        and(eq(referrals.agencyCode, p.agency!), eq(referrals.state, 'opened')),
        and(eq(referrals.competentAgencyCode, p.agency!), inArray(referrals.state, ['sent', 'received', 'escalated'])),
      ),
    )
    .orderBy(referrals.dueDate)
    .limit(500);
  return [
    list('returned', '负责人退回的检查方案', returned.map((d) => entry(d, `：${String((latest.get(d.id)?.payload as { reason?: string } | undefined)?.reason ?? '')}`))),
    list(
      'referrals',
      '待移送、待受理的移送（第二十三条）',
      due.map((r) => ({ id: r.id, text: `${r.agencyCode === p.agency ? '待移送' : '待受理'}：${r.description}`, due: r.dueDate ?? undefined, overdue: r.dueDate !== null && r.dueDate < today, href: `#/referrals/${r.id}` })),
    ),
  ];
}

async function supervisorTodo(db: Db, p: Principal, today: string): Promise<TodoList[]> {
  // The flags this supervisor reviews: the same level rule as the register (Art. 6, src/supervision/flag-scope.ts).
  const open = await db.select().from(flags).where(and(eq(flags.state, 'open'), flagJurisdiction(db, p))).orderBy(desc(flags.raisedAt)).limit(500);
  const lateNotices = await listNotices(db, p, { overdue: true }, today, { limit: 500, offset: 0 });
  const answered = await listNotices(db, p, { state: 'answered' }, today, { limit: 500, offset: 0 });
  let overdue: (typeof referrals.$inferSelect)[] = await db
    .select()
    .from(referrals)
    .where(and(inArray(referrals.state, ['opened', 'sent', 'received', 'escalated']), lt(referrals.dueDate, today)))
    .orderBy(referrals.dueDate)
    .limit(500);
  if (p.district) {
    const own = await db.select({ code: agencies.code }).from(agencies).where(eq(agencies.districtCode, p.district));
    const codes = new Set(own.map((a) => a.code));
    overdue = overdue.filter((r) => codes.has(r.agencyCode) || codes.has(r.competentAgencyCode));
  }
  return [
    list('flags', '新的违规标记', open.map((f) => ({ id: f.id, text: f.detail ?? f.rule, href: `#/flags/${f.id}` }))),
    list('overdue', '已逾期的移送（第二十三条）', overdue.map((r) => ({ id: r.id, text: r.description, due: r.dueDate ?? undefined, overdue: true, href: `#/referrals?id=${r.id}` }))),
    list('overdueNotices', '逾期未答复的督办', lateNotices.map(({ notice: n, agencyName }) => ({ id: n.id, text: `${agencyName ?? ''}：${n.request}`, due: n.dueDate, overdue: true, href: `#/notices/${n.id}` }))),
    list('answeredNotices', '已答复待审核的督办', answered.map(({ notice: n, agencyName }) => ({ id: n.id, text: `${agencyName ?? ''}：${n.request}`, due: n.dueDate, href: `#/notices/${n.id}` }))),
  ];
}

async function enterpriseTodo(db: Db, p: Principal, today: string): Promise<TodoList[]> {
  const since = new Date(`${addDays(today, -30)}T00:00:00+08:00`);
  const rows = await db
    .select()
    .from(inspections)
    .where(and(eq(inspections.enterpriseCode, p.creditCode!), inArray(inspections.state, ['result_notified', 'closed', 'archived']), gte(inspections.updatedAt, since)))
    .orderBy(desc(inspections.updatedAt))
    .limit(200);
  const open = await db
    .select()
    .from(inspections)
    .where(and(eq(inspections.enterpriseCode, p.creditCode!), inArray(inspections.state, ['findings_recorded', 'result_notified', 'closed'])))
    .limit(500);
  const deadlines = open
    .map((i) => ({ i, o: i.outcome as { kind?: string; dueDate?: string; noticeNo?: string } | null, kinds: outcomeKinds(i.outcome) }))
    // 第二十条: an order to stop or rectify may stand beside other outcomes (a penalty referral), so every kind is read.
    .filter(({ o, kinds }) => (kinds.includes('rectification') || kinds.includes('stop_order')) && o?.dueDate && o.dueDate >= today)
    .sort((a, b) => a.o!.dueDate!.localeCompare(b.o!.dueDate!));
  return [
    list('results', '近 30 日告知的检查结果', rows.map((i) => ({ id: i.id, text: `检查结果已告知（${shanghaiDate(i.updatedAt)}）`, href: `#/inspections/${i.id}` }))),
    list('deadlines', '整改期限', deadlines.map(({ i, o, kinds }) => ({ id: i.id, text: `${kinds.includes('stop_order') ? '责令停止' : '责令改正'}${o!.noticeNo ? `（${o!.noticeNo}）` : ''}`, due: o!.dueDate, href: `#/inspections/${i.id}` }))),
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
