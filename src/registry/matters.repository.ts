import { and, asc, desc, eq, gte, isNull, lte, max, ne, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { inspectionMatters } from '../db/schema/index.js';

export type Matter = typeof inspectionMatters.$inferSelect;
export type NewMatter = typeof inspectionMatters.$inferInsert;

/** Published versions whose effective window covers `day` (withdrawn versions keep their past window). */
const coversDay = (day: string): SQL =>
  and(
    ne(inspectionMatters.state, 'draft'),
    lte(inspectionMatters.effectiveFrom, day),
    or(isNull(inspectionMatters.effectiveTo), gte(inspectionMatters.effectiveTo, day)),
  )!;

export interface MatterFilter {
  agency?: string;
  state?: Matter['state'];
  /** Only versions in force on this date. */
  publishedOn?: string;
  limit: number;
  offset: number;
}

export function listMatters(db: Db, f: MatterFilter) {
  const where: SQL[] = [];
  if (f.agency) where.push(eq(inspectionMatters.agencyCode, f.agency));
  if (f.state) where.push(eq(inspectionMatters.state, f.state));
  if (f.publishedOn) where.push(coversDay(f.publishedOn));
  return db
    .select()
    .from(inspectionMatters)
    .where(and(...where))
    .orderBy(asc(inspectionMatters.agencyCode), asc(inspectionMatters.matterCode), desc(inspectionMatters.version))
    .limit(f.limit)
    .offset(f.offset);
}

export async function findMatter(db: Db, id: string): Promise<Matter | undefined> {
  const [row] = await db.select().from(inspectionMatters).where(eq(inspectionMatters.id, id));
  return row;
}

/** "Is matter X published for agency A on date D" (Art. 7): one indexed query. */
export async function publishedMatterOn(db: Db, agencyCode: string, matterCode: string, day: string): Promise<Matter | undefined> {
  const [row] = await publishedMatterQuery(db, agencyCode, matterCode, day);
  return row;
}

/** publishedMatterOn's query, for a caller reading it with other facts in one statement. */
export const publishedMatterQuery = (db: Db, agencyCode: string, matterCode: string, day: string) =>
  db
    .select()
    .from(inspectionMatters)
    .where(and(eq(inspectionMatters.agencyCode, agencyCode), eq(inspectionMatters.matterCode, matterCode), coversDay(day)))
    .orderBy(desc(inspectionMatters.version))
    .limit(1);

export async function nextMatterVersion(db: Db, agencyCode: string, matterCode: string): Promise<number> {
  const [row] = await db
    .select({ v: max(inspectionMatters.version) })
    .from(inspectionMatters)
    .where(and(eq(inspectionMatters.agencyCode, agencyCode), eq(inspectionMatters.matterCode, matterCode)));
  return (row?.v ?? 0) + 1;
}

export async function insertMatter(db: Db, row: NewMatter): Promise<Matter> {
  const [out] = await db.insert(inspectionMatters).values(row).returning();
  return out!;
}

export async function updateMatter(db: Db, id: string, patch: Partial<NewMatter>): Promise<Matter> {
  const [out] = await db.update(inspectionMatters).set(patch).where(eq(inspectionMatters.id, id)).returning();
  return out!;
}

/** The version currently open-ended (published, no effective_to) for an agency's matter, if any. */
export async function openPublishedVersion(db: Db, agencyCode: string, matterCode: string): Promise<Matter | undefined> {
  const [row] = await db
    .select()
    .from(inspectionMatters)
    .where(
      and(
        eq(inspectionMatters.agencyCode, agencyCode),
        eq(inspectionMatters.matterCode, matterCode),
        eq(inspectionMatters.state, 'published'),
        isNull(inspectionMatters.effectiveTo),
      ),
    )
    .for('update');
  return row;
}
