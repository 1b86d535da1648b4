import { and, desc, eq, gt, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies, referrals } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';

export type Referral = typeof referrals.$inferSelect;
export type NewReferral = typeof referrals.$inferInsert;

export async function findReferral(db: Db, id: string, forUpdate = false): Promise<Referral | undefined> {
  const q = db.select().from(referrals).where(eq(referrals.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function insertReferral(db: Db, row: NewReferral): Promise<Referral> {
  const [out] = await db.insert(referrals).values(row).returning();
  return out!;
}

/** Writes a new state and facts, bumping the version the row was read at. */
export async function updateReferral(db: Db, current: Referral, patch: Partial<NewReferral>, at: Date): Promise<Referral> {
  const [out] = await db
    .update(referrals)
    .set({ ...patch, version: current.version + 1, updatedAt: at })
    .where(and(eq(referrals.id, current.id), eq(referrals.version, current.version)))
    .returning();
  if (!out) throw new DomainError('VERSION_CONFLICT', '移送记录已被他人修改，请刷新后重试');
  return out;
}

/** Overdue as of `today`: unsent past the due date, or sent after it (Art. 23). */
export function overdueCondition(today: string): SQL {
  return or(and(eq(referrals.state, 'opened'), lt(referrals.dueDate, today)), gt(referrals.sentOn, referrals.dueDate))!;
}

export interface ReferralFilter {
  /** An officer's or head's agency: referrals it sent, must receive, or settles as the common superior. */
  party?: string;
  direction?: 'incoming' | 'outgoing';
  /** A district supervisor: referrals where either agency belongs to the district. */
  district?: string;
  state?: string;
  overdueOn?: string;
  inspectionId?: string;
  limit: number;
  offset: number;
}

export function listReferrals(db: Db, f: ReferralFilter) {
  const where: SQL[] = [];
  if (f.party) {
    if (f.direction === 'incoming') where.push(eq(referrals.competentAgencyCode, f.party));
    else if (f.direction === 'outgoing') where.push(eq(referrals.agencyCode, f.party));
    else where.push(or(eq(referrals.agencyCode, f.party), eq(referrals.competentAgencyCode, f.party), eq(referrals.superiorAgencyCode, f.party))!);
  }
  if (f.district) {
    const inDistrict = db.select({ code: agencies.code }).from(agencies).where(eq(agencies.districtCode, f.district));
    where.push(or(inArray(referrals.agencyCode, inDistrict), inArray(referrals.competentAgencyCode, inDistrict))!);
  }
  if (f.state) where.push(eq(referrals.state, f.state));
  if (f.overdueOn) where.push(overdueCondition(f.overdueOn));
  if (f.inspectionId) where.push(eq(referrals.inspectionId, f.inspectionId));
  return db
    .select()
    .from(referrals)
    .where(and(...where))
    .orderBy(desc(referrals.createdAt), desc(referrals.id))
    .limit(f.limit)
    .offset(f.offset);
}
