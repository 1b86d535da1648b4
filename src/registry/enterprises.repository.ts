import { and, asc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { enterprises } from '../db/schema/index.js';

export type Enterprise = typeof enterprises.$inferSelect;
export type NewEnterprise = typeof enterprises.$inferInsert;

export interface EnterpriseFilter {
  district?: string;
  scope?: Enterprise['scope'];
  q?: string;
  creditCode?: string;
  limit: number;
  offset: number;
}

export function listEnterprises(db: Db, f: EnterpriseFilter) {
  const where: SQL[] = [];
  if (f.district) where.push(eq(enterprises.districtCode, f.district));
  if (f.scope) where.push(eq(enterprises.scope, f.scope));
  if (f.creditCode) where.push(eq(enterprises.creditCode, f.creditCode));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(enterprises.name, like), ilike(enterprises.creditCode, like))!);
  }
  return db
    .select()
    .from(enterprises)
    .where(and(...where))
    .orderBy(asc(enterprises.creditCode))
    .limit(f.limit)
    .offset(f.offset);
}

export async function findEnterprise(db: Db, creditCode: string): Promise<Enterprise | undefined> {
  const [row] = await db.select().from(enterprises).where(eq(enterprises.creditCode, creditCode));
  return row;
}

export async function insertEnterprise(db: Db, row: NewEnterprise): Promise<Enterprise> {
  const [out] = await db.insert(enterprises).values(row).returning();
  return out!;
}

export async function updateEnterprise(db: Db, creditCode: string, patch: Partial<NewEnterprise>): Promise<Enterprise | undefined> {
  const [out] = await db.update(enterprises).set(patch).where(eq(enterprises.creditCode, creditCode)).returning();
  return out;
}
