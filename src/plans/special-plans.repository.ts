import { and, asc, desc, eq, gte, inArray, lte, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies, specialPlans } from '../db/schema/index.js';

export type SpecialPlan = typeof specialPlans.$inferSelect;
export type NewSpecialPlan = typeof specialPlans.$inferInsert;
export type SpecialPlanState = SpecialPlan['state'];

/** States in which a special plan may be executed: published, or deployed by an upper authority. */
export const USABLE_SPECIAL_STATES: readonly SpecialPlanState[] = ['published', 'deployed'];

export async function findSpecialPlan(db: Db, id: string, lock?: 'update' | 'share'): Promise<SpecialPlan | undefined> {
  const q = db.select().from(specialPlans).where(eq(specialPlans.id, id));
  const [row] = await (lock ? q.for(lock) : q);
  return row;
}

export async function insertSpecialPlan(db: Db, row: NewSpecialPlan): Promise<SpecialPlan> {
  const [out] = await db.insert(specialPlans).values(row).returning();
  return out!;
}

/** Every change bumps `version`, the optimistic-concurrency token PATCH compares. */
export async function updateSpecialPlan(db: Db, row: SpecialPlan, patch: Partial<NewSpecialPlan>, at: Date): Promise<SpecialPlan> {
  const [out] = await db
    .update(specialPlans)
    .set({ ...patch, version: row.version + 1, updatedAt: at })
    .where(eq(specialPlans.id, row.id))
    .returning();
  return out!;
}

export interface SpecialPlanFilter {
  agency?: string;
  state?: SpecialPlanState;
  /** Plans whose window overlaps this year. */
  year?: number;
  ownAgencyOrPublished?: string;
  districtOrPublished?: string;
  publishedOnly?: boolean;
  limit: number;
  offset: number;
}

export function listSpecialPlans(db: Db, f: SpecialPlanFilter) {
  const where: SQL[] = [];
  const visible = inArray(specialPlans.state, [...USABLE_SPECIAL_STATES]);
  if (f.agency) where.push(eq(specialPlans.agencyCode, f.agency));
  if (f.state) where.push(eq(specialPlans.state, f.state));
  if (f.year) {
    where.push(lte(specialPlans.startDate, `${f.year}-12-31`), gte(specialPlans.endDate, `${f.year}-01-01`));
  }
  if (f.publishedOnly) where.push(visible);
  if (f.ownAgencyOrPublished) where.push(or(eq(specialPlans.agencyCode, f.ownAgencyOrPublished), visible)!);
  if (f.districtOrPublished) {
    const inDistrict = db.select({ code: agencies.code }).from(agencies).where(eq(agencies.districtCode, f.districtOrPublished));
    where.push(or(inArray(specialPlans.agencyCode, inDistrict), visible)!);
  }
  return db
    .select()
    .from(specialPlans)
    .where(and(...where))
    .orderBy(desc(specialPlans.startDate), asc(specialPlans.agencyCode))
    .limit(f.limit)
    .offset(f.offset);
}
