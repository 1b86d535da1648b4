import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies } from '../db/schema/index.js';

export type Agency = typeof agencies.$inferSelect;
export type NewAgency = typeof agencies.$inferInsert;

export interface AgencyFilter {
  level?: 'city' | 'district';
  district?: string;
  justiceBureau?: boolean;
}

export function listAgencies(db: Db, f: AgencyFilter = {}) {
  const where: SQL[] = [];
  if (f.level) where.push(eq(agencies.level, f.level));
  if (f.district) where.push(eq(agencies.districtCode, f.district));
  if (f.justiceBureau !== undefined) where.push(eq(agencies.isJusticeBureau, f.justiceBureau));
  return db.select().from(agencies).where(and(...where)).orderBy(asc(agencies.code));
}

export async function findAgency(db: Db, code: string): Promise<Agency | undefined> {
  const [row] = await db.select().from(agencies).where(eq(agencies.code, code));
  return row;
}

/** How a zh-CN message names an agency: its registered name, the code only when no such agency is registered. */
export async function agencyNameOf(db: Db, code: string): Promise<string> {
  const [row] = await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.code, code));
  return row?.name ?? code;
}

/** agencyNameOf for several codes at once (one query each, in the caller's transaction): code → name. */
export async function agencyNamesOf(db: Db, codes: Iterable<string>): Promise<(agencyCode: string) => string> {
  const names = new Map<string, string>();
  for (const code of new Set(codes)) names.set(code, await agencyNameOf(db, code));
  return (code) => names.get(code) ?? code;
}

export async function insertAgency(db: Db, row: NewAgency): Promise<Agency> {
  const [out] = await db.insert(agencies).values(row).returning();
  return out!;
}

export async function updateAgency(db: Db, code: string, patch: Partial<NewAgency>): Promise<Agency | undefined> {
  const [out] = await db.update(agencies).set(patch).where(eq(agencies.code, code)).returning();
  return out;
}

/**
 * The justice bureau (司法行政部门) at the same level as an agency (Art. 6, 13, 14): the city bureau for a
 * city agency, the district's bureau for a district agency.
 */
export async function sameLevelJusticeBureau(db: Db, agency: Agency): Promise<Agency | undefined> {
  const level = agency.level === 'city' ? eq(agencies.level, 'city') : eq(agencies.districtCode, agency.districtCode ?? '');
  const [row] = await db
    .select()
    .from(agencies)
    .where(and(eq(agencies.isJusticeBureau, true), level, eq(agencies.level, agency.level)));
  return row;
}
