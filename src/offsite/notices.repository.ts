import { and, desc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies, enterpriseNotices } from '../db/schema/index.js';

export type EnterpriseNotice = typeof enterpriseNotices.$inferSelect;
export type NewEnterpriseNotice = typeof enterpriseNotices.$inferInsert;

export async function insertNotice(db: Db, row: NewEnterpriseNotice): Promise<EnterpriseNotice> {
  const [out] = await db.insert(enterpriseNotices).values(row).returning();
  return out!;
}

export async function findNotice(db: Db, id: string, forUpdate = false): Promise<EnterpriseNotice | undefined> {
  const q = db.select().from(enterpriseNotices).where(eq(enterpriseNotices.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export interface NoticeFilter {
  enterprise?: string;
  agency?: string;
  /** A district supervisor: notices of the district's agencies. */
  agencyDistrict?: string;
  unread?: boolean;
  limit: number;
  offset: number;
}

export function listNotices(db: Db, f: NoticeFilter) {
  const where: SQL[] = [];
  if (f.enterprise) where.push(eq(enterpriseNotices.enterpriseCode, f.enterprise));
  if (f.agency) where.push(eq(enterpriseNotices.agencyCode, f.agency));
  if (f.agencyDistrict) {
    where.push(inArray(enterpriseNotices.agencyCode, db.select({ code: agencies.code }).from(agencies).where(eq(agencies.districtCode, f.agencyDistrict))));
  }
  if (f.unread) where.push(isNull(enterpriseNotices.readAt));
  return db
    .select()
    .from(enterpriseNotices)
    .where(and(...where))
    .orderBy(desc(enterpriseNotices.issuedAt), desc(enterpriseNotices.id))
    .limit(f.limit)
    .offset(f.offset);
}
