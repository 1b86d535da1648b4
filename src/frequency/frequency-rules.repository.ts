import { and, asc, desc, eq, gte, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { frequencyRules, noDisturbList } from '../db/schema/index.js';

/** Frequency caps and the 无事不扰 list are data (Art. 15): thin typed queries over both tables. */
export type FrequencyRule = typeof frequencyRules.$inferSelect;
export type NewFrequencyRule = typeof frequencyRules.$inferInsert;
export type NoDisturb = typeof noDisturbList.$inferSelect;
export type NewNoDisturb = typeof noDisturbList.$inferInsert;

export interface FrequencyRuleFilter {
  kind?: FrequencyRule['kind'];
  scopeKind?: FrequencyRule['scopeKind'];
  agency?: string;
  /** Only rules in force on this date. */
  inForceOn?: string;
  limit: number;
  offset: number;
}

export function listFrequencyRules(db: Db, f: FrequencyRuleFilter) {
  const where: SQL[] = [];
  if (f.kind) where.push(eq(frequencyRules.kind, f.kind));
  if (f.scopeKind) where.push(eq(frequencyRules.scopeKind, f.scopeKind));
  // A rule for every agency reaches this agency too.
  if (f.agency) where.push(or(isNull(frequencyRules.agencyCode), eq(frequencyRules.agencyCode, f.agency))!);
  if (f.inForceOn) {
    where.push(lte(frequencyRules.effectiveFrom, f.inForceOn), or(isNull(frequencyRules.effectiveTo), gte(frequencyRules.effectiveTo, f.inForceOn))!);
  }
  return db
    .select()
    .from(frequencyRules)
    .where(and(...where))
    .orderBy(desc(frequencyRules.effectiveFrom), asc(frequencyRules.id))
    .limit(f.limit)
    .offset(f.offset);
}

export async function findFrequencyRule(db: Db, id: string, lock?: 'update'): Promise<FrequencyRule | undefined> {
  const q = db.select().from(frequencyRules).where(eq(frequencyRules.id, id));
  const [row] = await (lock ? q.for(lock) : q);
  return row;
}

export async function insertFrequencyRule(db: Db, row: NewFrequencyRule): Promise<FrequencyRule> {
  const [out] = await db.insert(frequencyRules).values(row).returning();
  return out!;
}

export async function retireFrequencyRule(db: Db, id: string, effectiveTo: string): Promise<FrequencyRule> {
  const [out] = await db.update(frequencyRules).set({ effectiveTo }).where(eq(frequencyRules.id, id)).returning();
  return out!;
}

export interface NoDisturbFilter {
  enterprise?: string;
  agency?: string;
  /** Only entries in force on this date. */
  onDate?: string;
  limit: number;
  offset: number;
}

export function listNoDisturb(db: Db, f: NoDisturbFilter) {
  const where: SQL[] = [];
  if (f.enterprise) where.push(eq(noDisturbList.enterpriseCode, f.enterprise));
  if (f.agency) where.push(or(isNull(noDisturbList.agencyCode), eq(noDisturbList.agencyCode, f.agency))!);
  if (f.onDate) where.push(lte(noDisturbList.fromDate, f.onDate), or(isNull(noDisturbList.toDate), gte(noDisturbList.toDate, f.onDate))!);
  return db
    .select()
    .from(noDisturbList)
    .where(and(...where))
    .orderBy(asc(noDisturbList.enterpriseCode), desc(noDisturbList.fromDate))
    .limit(f.limit)
    .offset(f.offset);
}

export async function insertNoDisturb(db: Db, row: NewNoDisturb): Promise<NoDisturb> {
  const [out] = await db.insert(noDisturbList).values(row).returning();
  return out!;
}
