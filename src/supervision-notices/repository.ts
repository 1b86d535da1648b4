import { and, asc, count, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { agencies, flags, supervisionNotices } from '../db/schema/index.js';
import { noticeScope } from '../access/index.js';

export type SupervisionNotice = typeof supervisionNotices.$inferSelect;

export interface NoticeFilter {
  state?: SupervisionNotice['state'];
  /** Only notices still awaiting an answer past their deadline. */
  overdue?: boolean;
  agency?: string;
  flag?: string;
}

/** A notice with the names a reader needs: the addressed agency and the flag's rule. */
export interface NamedNotice {
  notice: SupervisionNotice;
  agencyName: string | null;
  rule: string;
  article: string;
  flagDetail: string;
}

export async function findNotice(db: Db, id: string, forUpdate = false): Promise<SupervisionNotice | undefined> {
  const q = db.select().from(supervisionNotices).where(eq(supervisionNotices.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

const named = (db: Db) =>
  db
    .select({ notice: supervisionNotices, agencyName: agencies.name, rule: flags.rule, article: flags.article, flagDetail: flags.detail })
    .from(supervisionNotices)
    .innerJoin(flags, eq(flags.id, supervisionNotices.flagId))
    .leftJoin(agencies, eq(agencies.code, supervisionNotices.agencyCode));

export async function findNamedNotice(db: Db, id: string): Promise<NamedNotice | undefined> {
  const [row] = await named(db).where(eq(supervisionNotices.id, id));
  return row;
}

function conditions(db: Db, p: Principal, f: NoticeFilter, today: string): SQL | undefined {
  return and(
    noticeScope(p),
    f.state ? eq(supervisionNotices.state, f.state) : undefined,
    // Overdue is read against today's date, so a notice becomes overdue without anything writing to it.
    f.overdue ? and(eq(supervisionNotices.state, 'sent'), lt(supervisionNotices.dueDate, today)) : undefined,
    f.agency ? eq(supervisionNotices.agencyCode, f.agency) : undefined,
    f.flag ? eq(supervisionNotices.flagId, f.flag) : undefined,
  );
}

export async function listNotices(db: Db, p: Principal, f: NoticeFilter, today: string, page: { limit: number; offset: number }): Promise<NamedNotice[]> {
  return named(db)
    .where(conditions(db, p, f, today))
    // Open ones first, the nearest deadline first: what needs doing leads the list.
    .orderBy(desc(eq(supervisionNotices.state, 'sent')), asc(supervisionNotices.dueDate), desc(supervisionNotices.issuedAt))
    .limit(page.limit)
    .offset(page.offset);
}

export async function countNotices(db: Db, p: Principal, f: NoticeFilter, today: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(supervisionNotices).where(conditions(db, p, f, today));
  return row?.n ?? 0;
}
