import { and, arrayContains, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agencies, inspections, jointTaskParts, jointTasks, jointTaskUnits, jointVisits } from '../../db/schema/index.js';
import { DomainError } from '../../errors/domain-error.js';
import type { Inspection } from '../repository.js';

export type JointTask = typeof jointTasks.$inferSelect;
export type NewJointTask = typeof jointTasks.$inferInsert;
export type JointTaskUnit = typeof jointTaskUnits.$inferSelect;
export type JointTaskPart = typeof jointTaskParts.$inferSelect;
export type JointVisit = typeof jointVisits.$inferSelect;

export async function findJointTask(db: Db, id: string, lock?: 'update'): Promise<JointTask | undefined> {
  const q = db.select().from(jointTasks).where(eq(jointTasks.id, id));
  const [row] = await (lock ? q.for(lock) : q);
  return row;
}

export async function updateJointTask(db: Db, row: JointTask, patch: Partial<NewJointTask>, at: Date): Promise<JointTask> {
  const [out] = await db
    .update(jointTasks)
    .set({ ...patch, version: row.version + 1, updatedAt: at })
    .where(and(eq(jointTasks.id, row.id), eq(jointTasks.version, row.version)))
    .returning();
  if (!out) throw new DomainError('VERSION_CONFLICT', '“综合查一次”任务已被他人修改，请刷新后重试');
  return out;
}

/** The lead unit first, then the cooperating units by agency code. */
export async function unitsOf(db: Db, taskId: string, lock?: 'update'): Promise<JointTaskUnit[]> {
  const q = db.select().from(jointTaskUnits).where(eq(jointTaskUnits.taskId, taskId)).orderBy(asc(jointTaskUnits.role), asc(jointTaskUnits.agencyCode));
  const rows = await (lock ? q.for(lock) : q);
  return rows.sort((a, b) => (a.role === b.role ? 0 : a.role === 'lead' ? -1 : 1));
}

export async function updateUnit(db: Db, unit: JointTaskUnit, patch: Partial<typeof jointTaskUnits.$inferInsert>): Promise<JointTaskUnit> {
  const [out] = await db
    .update(jointTaskUnits)
    .set({ ...patch, version: unit.version + 1 })
    .where(and(eq(jointTaskUnits.taskId, unit.taskId), eq(jointTaskUnits.agencyCode, unit.agencyCode), eq(jointTaskUnits.version, unit.version)))
    .returning();
  if (!out) throw new DomainError('VERSION_CONFLICT', '该单位的任务分工已被他人修改，请刷新后重试');
  return out;
}

export interface PartRow {
  part: JointTaskPart;
  inspection: Inspection;
}

/** The inspection rows of a task's parts (one per unit and enterprise), lead first; optionally locked. */
export async function partsOf(db: Db, taskId: string, opts: { enterpriseCode?: string; lock?: boolean } = {}): Promise<PartRow[]> {
  const where = [eq(jointTaskParts.taskId, taskId)];
  if (opts.enterpriseCode) where.push(eq(jointTaskParts.enterpriseCode, opts.enterpriseCode));
  const q = db
    .select({ part: jointTaskParts, inspection: inspections })
    .from(jointTaskParts)
    .innerJoin(inspections, eq(inspections.id, jointTaskParts.inspectionId))
    .where(and(...where))
    .orderBy(asc(jointTaskParts.enterpriseCode), asc(jointTaskParts.role), asc(jointTaskParts.agencyCode));
  const rows = await (opts.lock ? q.for('update', { of: inspections }) : q);
  return rows.sort((a, b) => a.part.enterpriseCode.localeCompare(b.part.enterpriseCode) || (a.part.role === b.part.role ? 0 : a.part.role === 'lead' ? -1 : 1));
}

export async function partOfInspection(db: Db, inspectionId: string): Promise<JointTaskPart | undefined> {
  const [row] = await db.select().from(jointTaskParts).where(eq(jointTaskParts.inspectionId, inspectionId));
  return row;
}

/** partOfInspection's query as SQL, for a caller reading it with other facts in one statement. */
export const partOfInspectionQuery = (inspectionId: string) => sql`SELECT * FROM ${jointTaskParts} WHERE ${eq(jointTaskParts.inspectionId, inspectionId)}`;

export async function visitsOf(db: Db, taskId: string, lock?: 'update'): Promise<JointVisit[]> {
  const q = db.select().from(jointVisits).where(eq(jointVisits.taskId, taskId)).orderBy(asc(jointVisits.enterpriseCode));
  return lock ? q.for('update') : q;
}

export async function updateVisit(db: Db, v: JointVisit, patch: Partial<typeof jointVisits.$inferInsert>): Promise<JointVisit> {
  const [out] = await db
    .update(jointVisits)
    .set(patch)
    .where(and(eq(jointVisits.taskId, v.taskId), eq(jointVisits.enterpriseCode, v.enterpriseCode)))
    .returning();
  return out!;
}

export interface JointTaskFilter {
  /** Tasks this agency takes part in. */
  agency?: string;
  /** Tasks with a unit of this district (a district supervisor). */
  district?: string;
  enterprise?: string;
  state?: JointTask['state'];
  limit: number;
  offset: number;
}

export function listJointTasks(db: Db, f: JointTaskFilter) {
  const where = [];
  if (f.agency) where.push(inArray(jointTasks.id, db.select({ id: jointTaskUnits.taskId }).from(jointTaskUnits).where(eq(jointTaskUnits.agencyCode, f.agency))));
  if (f.district) {
    const inDistrict = db.select({ code: agencies.code }).from(agencies).where(eq(agencies.districtCode, f.district));
    where.push(inArray(jointTasks.id, db.select({ id: jointTaskUnits.taskId }).from(jointTaskUnits).where(inArray(jointTaskUnits.agencyCode, inDistrict))));
  }
  if (f.enterprise) where.push(arrayContains(jointTasks.enterpriseCodes, [f.enterprise]));
  if (f.state) where.push(eq(jointTasks.state, f.state));
  return db
    .select()
    .from(jointTasks)
    .where(and(...where))
    .orderBy(desc(jointTasks.windowStart), asc(jointTasks.id))
    .limit(f.limit)
    .offset(f.offset);
}
