import { and, asc, desc, eq, type SQL } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import { planVersions } from '../db/schema/index.js';
import type { PlanItem } from './plans.repository.js';

/** A filed version's item: the plan item as filed, without its plan id (the version row holds it). */
export type FiledItem = Omit<PlanItem, 'planId'>;

export interface PlanVersion {
  planId: string;
  revision: number;
  filedAt: Date;
  filedBy: string;
  items: FiledItem[];
}

export const toVersion = (row: typeof planVersions.$inferSelect): PlanVersion => ({
  planId: row.planId,
  revision: row.revision,
  filedAt: row.filedAt,
  filedBy: row.filedBy,
  items: row.items as FiledItem[],
});

/** Written in the filing transaction: the items exactly as the bureau filed them (Art. 14). */
export async function insertPlanVersion(db: Db, v: Omit<PlanVersion, 'items'> & { items: readonly PlanItem[] }): Promise<void> {
  await db.insert(planVersions).values({
    id: randomUUID(),
    planId: v.planId,
    revision: v.revision,
    filedAt: v.filedAt,
    filedBy: v.filedBy,
    items: v.items.map(({ planId: _p, ...item }) => item),
  });
}

/** The version in force: the last one the bureau filed. */
export async function lastFiledVersion(db: Db, planId: string): Promise<PlanVersion | undefined> {
  const [row] = await lastFiledVersionQuery(db, planId);
  return row ? toVersion(row) : undefined;
}

/** lastFiledVersion's query; `planId` may be a subquery (read with the issuance's other facts in one statement). */
export const lastFiledVersionQuery = (db: Db, planId: string | SQL) =>
  db.select().from(planVersions).where(eq(planVersions.planId, planId)).orderBy(desc(planVersions.revision)).limit(1);

export async function planVersionsOf(db: Db, planId: string): Promise<PlanVersion[]> {
  const rows = await db.select().from(planVersions).where(eq(planVersions.planId, planId)).orderBy(asc(planVersions.revision));
  return rows.map(toVersion);
}

export async function findPlanVersion(db: Db, planId: string, revision: number): Promise<PlanVersion | undefined> {
  const [row] = await db.select().from(planVersions).where(and(eq(planVersions.planId, planId), eq(planVersions.revision, revision)));
  return row ? toVersion(row) : undefined;
}
