import { and, asc, desc, eq, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import { agencies, planItems, plans, type PlanClassFilter } from '../db/schema/index.js';

export type Plan = typeof plans.$inferSelect;
export type NewPlan = typeof plans.$inferInsert;
export type PlanItem = typeof planItems.$inferSelect;
export type PlanState = Plan['state'];

/** One item as the agency states it; a draft may leave any of it blank (PLAN_CONTENT checks on submit). */
export interface PlanItemInput {
  matterCode: string;
  legalBasis?: string;
  targetKind: 'named' | 'class';
  targetEnterprises?: string[];
  targetClass?: string;
  samplingRatio?: number;
  /** The class as a registry filter (src/proposals/class-filter.ts); absent: a free-text class (未匹配). */
  classFilter?: PlanClassFilter;
  checkItems?: string[];
  method: 'onsite' | 'offsite';
  frequency?: number;
  necessity?: string;
}

/** The filing deadline of a year's plan (Art. 13: 每年3月31日前), a Shanghai calendar date. */
export const planDeadline = (year: number) => `${year}-03-31`;

export async function findPlan(db: Db, id: string, lock?: 'update' | 'share'): Promise<Plan | undefined> {
  const q = db.select().from(plans).where(eq(plans.id, id));
  const [row] = await (lock ? q.for(lock) : q);
  return row;
}

export async function findPlanFor(db: Db, agencyCode: string, year: number, lock?: 'update' | 'share'): Promise<Plan | undefined> {
  const [row] = await planForQuery(db, agencyCode, year, lock);
  return row;
}

/** findPlanFor's query, for a caller reading it with other facts in one statement. */
export function planForQuery(db: Db, agencyCode: string, year: number, lock?: 'update' | 'share') {
  const q = db.select().from(plans).where(and(eq(plans.agencyCode, agencyCode), eq(plans.year, year)));
  return lock ? q.for(lock) : q;
}

export function planItemsOf(db: Db, planId: string): Promise<PlanItem[]> {
  return planItemsQuery(db, planId);
}

/** planItemsOf's query; `planId` may be a subquery (the issuance reads the plan and its items in one statement). */
export const planItemsQuery = (db: Db, planId: string | SQL) => db.select().from(planItems).where(eq(planItems.planId, planId)).orderBy(asc(planItems.id));

export async function insertPlan(db: Db, row: NewPlan): Promise<Plan> {
  const [out] = await db.insert(plans).values(row).returning();
  return out!;
}

/** Every change bumps `version`, the optimistic-concurrency token PATCH compares. */
export async function updatePlan(db: Db, row: Plan, patch: Partial<NewPlan>, at: Date): Promise<Plan> {
  const [out] = await db
    .update(plans)
    .set({ ...patch, version: row.version + 1, updatedAt: at })
    .where(eq(plans.id, row.id))
    .returning();
  return out!;
}

/**
 * The table has no position column, so an item's id carries its position in its first 4 bytes and
 * ORDER BY id lists items in the order the agency wrote them (the rest stays random).
 */
const positionalId = (position: number) => `${position.toString(16).padStart(8, '0')}${randomUUID().slice(8)}`;

/** Items are replaced as a whole: a plan is edited as one document. */
export async function replacePlanItems(db: Db, planId: string, items: readonly PlanItemInput[]): Promise<PlanItem[]> {
  await db.delete(planItems).where(eq(planItems.planId, planId));
  if (items.length === 0) return [];
  return db
    .insert(planItems)
    .values(
      items.map((i, position) => ({
        id: positionalId(position),
        planId,
        matterCode: i.matterCode,
        legalBasis: i.legalBasis ?? '',
        targetKind: i.targetKind,
        targetEnterprises: i.targetEnterprises ?? [],
        targetClass: i.targetClass ?? null,
        classFilter: i.classFilter ?? null,
        // A named list is inspected in full; the stated ratio is kept when given.
        samplingRatio: i.samplingRatio ?? (i.targetKind === 'named' ? 1 : null),
        checkItems: i.checkItems ?? [],
        method: i.method,
        // 0 = not stated yet (the column is NOT NULL); submission requires at least 1.
        frequency: i.frequency ?? 0,
        necessity: i.necessity ?? '',
      })),
    )
    .returning();
}

export interface PlanFilter {
  year?: number;
  agency?: string;
  state?: PlanState;
  /** No standing submission (annual-duty.ts) and the deadline before this Shanghai date. */
  overdueOn?: string;
  /** Visibility (plan-access.ts): this agency's plans in any state, others only once published. */
  ownAgencyOrPublished?: string;
  /** Visibility for a district supervisor: that district's agencies in any state, others once published. */
  districtOrPublished?: string;
  publishedOnly?: boolean;
  limit: number;
  offset: number;
}

export function listPlans(db: Db, f: PlanFilter) {
  const where: SQL[] = [];
  if (f.year) where.push(eq(plans.year, f.year));
  if (f.agency) where.push(eq(plans.agencyCode, f.agency));
  if (f.state) where.push(eq(plans.state, f.state));
  if (f.overdueOn) {
    const lost = and(eq(plans.state, 'returned'), isNull(plans.filedAt), lt(plans.resubmitBy, f.overdueOn));
    where.push(lt(plans.deadline, f.overdueOn), or(isNull(plans.submittedOn), lost)!);
  }
  if (f.publishedOnly) where.push(eq(plans.state, 'published'));
  if (f.ownAgencyOrPublished) where.push(or(eq(plans.agencyCode, f.ownAgencyOrPublished), eq(plans.state, 'published'))!);
  if (f.districtOrPublished) {
    const inDistrict = db.select({ code: agencies.code }).from(agencies).where(eq(agencies.districtCode, f.districtOrPublished));
    where.push(or(inArray(plans.agencyCode, inDistrict), eq(plans.state, 'published'))!);
  }
  return db
    .select()
    .from(plans)
    .where(and(...where))
    .orderBy(desc(plans.year), asc(plans.agencyCode))
    .limit(f.limit)
    .offset(f.offset);
}
