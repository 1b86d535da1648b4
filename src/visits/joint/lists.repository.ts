import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { jointLists } from '../../db/schema/index.js';
import { DomainError } from '../../errors/domain-error.js';

export type JointList = typeof jointLists.$inferSelect;
export type NewJointList = typeof jointLists.$inferInsert;
export type JointListStateName = JointList['state'];

export async function findJointList(db: Db, id: string, lock?: 'update' | 'share'): Promise<JointList | undefined> {
  const q = db.select().from(jointLists).where(eq(jointLists.id, id));
  const [row] = await (lock ? q.for(lock) : q);
  return row;
}

export async function insertJointList(db: Db, row: NewJointList): Promise<JointList> {
  const [out] = await db.insert(jointLists).values(row).returning();
  return out!;
}

/** Writes a change, bumping the version the row was read at (the row is locked by the caller). */
export async function updateJointList(db: Db, row: JointList, patch: Partial<NewJointList>, at: Date): Promise<JointList> {
  const [out] = await db
    .update(jointLists)
    .set({ ...patch, version: row.version + 1, updatedAt: at })
    .where(and(eq(jointLists.id, row.id), eq(jointLists.version, row.version)))
    .returning();
  if (!out) throw new DomainError('VERSION_CONFLICT', '“综合查一次”事项清单已被他人修改，请刷新后重试');
  return out;
}

/** The version of a series in force now (published), if any. */
export async function publishedVersionOf(db: Db, seriesId: string, lock?: 'update'): Promise<JointList | undefined> {
  const q = db.select().from(jointLists).where(and(eq(jointLists.seriesId, seriesId), eq(jointLists.state, 'published')));
  const [row] = await (lock ? q.for(lock) : q);
  return row;
}

/** The version of a series on its way through review and approval, if any. */
export async function pendingVersionOf(db: Db, seriesId: string): Promise<JointList | undefined> {
  const [row] = await db
    .select()
    .from(jointLists)
    .where(and(eq(jointLists.seriesId, seriesId), inArray(jointLists.state, ['proposed', 'returned', 'reviewed', 'approved'])));
  return row;
}

export async function publishedJointLists(db: Db): Promise<JointList[]> {
  return db.select().from(jointLists).where(eq(jointLists.state, 'published')).orderBy(asc(jointLists.createdAt));
}

export interface JointListFilter {
  state?: JointListStateName;
  proposer?: string;
  /** Restrict to these states (the caller's visibility). */
  states?: JointListStateName[];
  limit: number;
  offset: number;
}

export function listJointLists(db: Db, f: JointListFilter) {
  const where: SQL[] = [];
  if (f.state) where.push(eq(jointLists.state, f.state));
  if (f.proposer) where.push(eq(jointLists.proposerAgencyCode, f.proposer));
  if (f.states) where.push(inArray(jointLists.state, f.states));
  return db
    .select()
    .from(jointLists)
    .where(and(...where))
    .orderBy(desc(jointLists.updatedAt), asc(jointLists.id))
    .limit(f.limit)
    .offset(f.offset);
}
