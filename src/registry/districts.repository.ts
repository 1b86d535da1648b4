import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { districts } from '../db/schema/index.js';

export type District = typeof districts.$inferSelect;

export const listDistricts = (db: Db) => db.select().from(districts).orderBy(asc(districts.sort), asc(districts.code));

export async function findDistrict(db: Db, code: string): Promise<District | undefined> {
  const [row] = await db.select().from(districts).where(eq(districts.code, code));
  return row;
}

export async function insertDistrict(db: Db, row: District): Promise<void> {
  await db.insert(districts).values(row);
}
