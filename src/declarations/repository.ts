import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { agencies, declarations, enterprises } from '../db/schema/index.js';
import { shanghaiDayRange } from '../supervision/shanghai-time.js';
import { declarationJurisdiction } from '../access/index.js';

/** The register's thin queries, always narrowed to the caller's supervising level. */
export type Declaration = typeof declarations.$inferSelect;
export type DeclarationStatus = Declaration['status'];

export interface DeclarationFilter {
  agency?: string;
  officer?: string;
  kind?: string;
  status?: DeclarationStatus;
  /** Calendar dates (Asia/Shanghai), both inclusive, on `declared_at`. */
  from?: string;
  to?: string;
}

export function declarationConditions(db: Db, p: Principal, f: DeclarationFilter): SQL | undefined {
  const where: (SQL | undefined)[] = [declarationJurisdiction(db, p)];
  if (f.agency) where.push(eq(declarations.agencyCode, f.agency));
  if (f.officer) where.push(eq(declarations.declaredBy, f.officer));
  if (f.kind) where.push(eq(declarations.kind, f.kind));
  if (f.status) where.push(eq(declarations.status, f.status));
  where.push(...shanghaiDayRange(declarations.declaredAt, f.from, f.to));
  return and(...where);
}

export type NamedDeclaration = { declaration: Declaration; agencyName: string | null; enterpriseName: string | null };

const withNames = (db: Db) =>
  db
    .select({ declaration: declarations, agencyName: agencies.name, enterpriseName: enterprises.name })
    .from(declarations)
    .leftJoin(agencies, eq(agencies.code, declarations.agencyCode))
    .leftJoin(enterprises, eq(enterprises.creditCode, declarations.enterpriseCode));

export function listDeclarations(db: Db, p: Principal, f: DeclarationFilter, page: { limit: number; offset: number }): Promise<NamedDeclaration[]> {
  return withNames(db).where(declarationConditions(db, p, f)).orderBy(desc(declarations.declaredAt), desc(declarations.id)).limit(page.limit).offset(page.offset);
}

export async function countDeclarations(db: Db, p: Principal, f: DeclarationFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(declarations).where(declarationConditions(db, p, f));
  return Number(row?.n ?? 0);
}

export async function findNamedDeclaration(db: Db, id: string): Promise<NamedDeclaration | undefined> {
  const [row] = await withNames(db).where(eq(declarations.id, id));
  return row;
}

export async function findDeclaration(db: Db, id: string, forUpdate = false): Promise<Declaration | undefined> {
  const q = db.select().from(declarations).where(eq(declarations.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

/** Counts per agency and per declaring person (withdrawn declarations left out), for the peers' comparison. */
export async function declarationCounts(db: Db, p: Principal, f: DeclarationFilter) {
  const where = and(declarationConditions(db, p, f), sql`${declarations.status} <> 'withdrawn'`);
  const byAgency = await db
    .select({ agencyCode: declarations.agencyCode, agencyName: agencies.name, level: agencies.level, n: count() })
    .from(declarations)
    .leftJoin(agencies, eq(agencies.code, declarations.agencyCode))
    .where(where)
    .groupBy(declarations.agencyCode, agencies.name, agencies.level);
  const byOfficer = await db
    .select({ agencyCode: declarations.agencyCode, declaredBy: declarations.declaredBy, declaredByName: sql<string | null>`max(${declarations.declaredByName})`, n: count() })
    .from(declarations)
    .where(where)
    .groupBy(declarations.agencyCode, declarations.declaredBy);
  return { byAgency: byAgency.map((r) => ({ ...r, n: Number(r.n) })), byOfficer: byOfficer.map((r) => ({ ...r, n: Number(r.n) })) };
}
