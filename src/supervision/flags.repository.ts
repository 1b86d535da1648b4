import { and, asc, count, desc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { agencies, auditChain, auditEntries, enterprises, flags } from '../db/schema/index.js';
import { flagJurisdiction } from './flag-scope.js';
import { shanghaiDayRange } from './shanghai-time.js';

/** The violation register's queries, always narrowed to the caller's jurisdiction. */
export type Flag = typeof flags.$inferSelect;
export type FlagState = Flag['state'];

export interface FlagFilter {
  rule?: string;
  agency?: string;
  enterprise?: string;
  state?: FlagState;
  severity?: string;
  /** The flagged record, e.g. subjectType `inspection` and its id. */
  subjectType?: string;
  subjectId?: string;
  /** Calendar dates (Asia/Shanghai), both inclusive, on `raised_at`. */
  from?: string;
  to?: string;
}

export function flagConditions(db: Db, p: Principal, f: FlagFilter): SQL | undefined {
  const where: (SQL | undefined)[] = [flagJurisdiction(db, p)];
  if (f.rule) where.push(eq(flags.rule, f.rule));
  if (f.agency) where.push(eq(flags.agencyCode, f.agency));
  if (f.enterprise) where.push(eq(flags.enterpriseCode, f.enterprise));
  if (f.state) where.push(eq(flags.state, f.state));
  if (f.severity) where.push(eq(flags.severity, f.severity));
  if (f.subjectType) where.push(eq(flags.subjectType, f.subjectType));
  if (f.subjectId) where.push(eq(flags.subjectId, f.subjectId));
  where.push(...shanghaiDayRange(flags.raisedAt, f.from, f.to));
  return and(...where);
}

const withNames = (db: Db) =>
  db
    .select({ flag: flags, agencyName: agencies.name, enterpriseName: enterprises.name })
    .from(flags)
    .leftJoin(agencies, eq(agencies.code, flags.agencyCode))
    .leftJoin(enterprises, eq(enterprises.creditCode, flags.enterpriseCode));

export type NamedFlag = { flag: Flag; agencyName: string | null; enterpriseName: string | null };

/** Newest first. */
export function listFlags(db: Db, p: Principal, f: FlagFilter, page: { limit: number; offset: number }): Promise<NamedFlag[]> {
  return withNames(db).where(flagConditions(db, p, f)).orderBy(desc(flags.raisedAt), desc(flags.id)).limit(page.limit).offset(page.offset);
}

export async function countFlags(db: Db, p: Principal, f: FlagFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(flags).where(flagConditions(db, p, f));
  return Number(row?.n ?? 0);
}

/** Oldest first, in keyset batches, for exports: rows raised meanwhile neither repeat nor shift a page. */
export async function* flagBatches(db: Db, p: Principal, f: FlagFilter, size = 1000): AsyncGenerator<NamedFlag[]> {
  let after: { raisedAt: Date; id: string } | undefined;
  for (;;) {
    const cursor = after ? or(gt(flags.raisedAt, after.raisedAt), and(eq(flags.raisedAt, after.raisedAt), gt(flags.id, after.id))) : undefined;
    const rows = await withNames(db)
      .where(and(flagConditions(db, p, f), cursor))
      .orderBy(asc(flags.raisedAt), asc(flags.id))
      .limit(size);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    const last = rows[rows.length - 1]!.flag;
    after = { raisedAt: last.raisedAt, id: last.id };
  }
}

export async function findFlag(db: Db, id: string, forUpdate = false): Promise<Flag | undefined> {
  const q = db.select().from(flags).where(eq(flags.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function findNamedFlag(db: Db, id: string): Promise<NamedFlag | undefined> {
  const [row] = await withNames(db).where(eq(flags.id, id));
  return row;
}

/**
 * The audit entries that show a flag: everything recorded on its subject (the inspection, plan or report
 * it was raised on, including the `flag.raised` entry) and its own review entries; oldest first.
 */
export function flagAuditEntries(db: Db, flag: Flag, limit = 500) {
  return db
    .select({ entry: auditEntries, seq: auditChain.seq, hash: auditChain.hash })
    .from(auditEntries)
    .leftJoin(auditChain, eq(auditChain.entryId, auditEntries.id))
    .where(
      or(
        and(eq(auditEntries.subjectType, flag.subjectType), eq(auditEntries.subjectId, flag.subjectId)),
        and(eq(auditEntries.subjectType, 'flag'), eq(auditEntries.subjectId, flag.id)),
      ),
    )
    .orderBy(asc(auditEntries.id))
    .limit(limit);
}

/** Flags raised per rule, over every rule (the catalogue's "times fired"). */
export async function flagCountsByRule(db: Db): Promise<Map<string, number>> {
  const rows = await db.select({ rule: flags.rule, n: count() }).from(flags).groupBy(flags.rule);
  return new Map(rows.map((r) => [r.rule, Number(r.n)]));
}

/**
 * Flags raised on some subjects (reports, inspections), grouped by subject id, for views that show what a
 * record caused. `viewer` narrows them to the flags a supervisor may see (Art. 6, flag-scope.ts): a district
 * bureau reads an enterprise's report without seeing the flags it raised against another level's agency.
 */
export async function flagsOnSubjects(db: Db, subjectType: string, subjectIds: string[], viewer?: Principal) {
  const rows =
    subjectIds.length === 0
      ? []
      : await db
          .select({ id: flags.id, subjectId: flags.subjectId, rule: flags.rule, article: flags.article, severity: flags.severity, state: flags.state, detail: flags.detail, raisedAt: flags.raisedAt, grouped: sql<string[] | null>`${flags.evidence}->'groupedReports'` })
          .from(flags)
          .where(
            and(
              eq(flags.subjectType, subjectType),
              // A report grouped into an earlier report's open flag (src/supervision/enterprise-report.ts) shows that flag too.
              or(inArray(flags.subjectId, subjectIds), sql`${flags.evidence}->'groupedReports' ?| ARRAY[${sql.join(subjectIds.map((id) => sql`${id}`), sql`, `)}]::text[]`),
              viewer ? flagJurisdiction(db, viewer) : undefined,
            ),
          )
          .orderBy(asc(flags.raisedAt), asc(flags.rule));
  const out = new Map<string, Omit<(typeof rows)[number], 'grouped'>[]>(subjectIds.map((id) => [id, []]));
  for (const { grouped, ...r } of rows) {
    for (const id of new Set([r.subjectId, ...(Array.isArray(grouped) ? grouped : [])])) out.get(id)?.push(r);
  }
  return out;
}
