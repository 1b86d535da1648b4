import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies, agencyRelations, enterprises } from '../db/schema/index.js';

export type AgencyRelation = typeof agencyRelations.$inferSelect;

export function listRelations(db: Db, f: { agency?: string; enterprise?: string }) {
  return db
    .select({ agencyCode: agencyRelations.agencyCode, agencyName: agencies.name, enterpriseCode: agencyRelations.enterpriseCode, enterpriseName: enterprises.name, relation: agencyRelations.relation, source: agencyRelations.source, createdAt: agencyRelations.createdAt })
    .from(agencyRelations)
    .leftJoin(agencies, eq(agencies.code, agencyRelations.agencyCode))
    .leftJoin(enterprises, eq(enterprises.creditCode, agencyRelations.enterpriseCode))
    .where(and(f.agency ? eq(agencyRelations.agencyCode, f.agency) : undefined, f.enterprise ? eq(agencyRelations.enterpriseCode, f.enterprise) : undefined))
    .orderBy(agencyRelations.agencyCode, agencyRelations.enterpriseCode);
}

export async function insertRelation(db: Db, row: typeof agencyRelations.$inferInsert): Promise<void> {
  await db.insert(agencyRelations).values(row);
}

export async function deleteRelation(db: Db, agency: string, enterprise: string, relation: AgencyRelation['relation']): Promise<boolean> {
  const rows = await db
    .delete(agencyRelations)
    .where(and(eq(agencyRelations.agencyCode, agency), eq(agencyRelations.enterpriseCode, enterprise), eq(agencyRelations.relation, relation)))
    .returning({ a: agencyRelations.agencyCode });
  return rows.length > 0;
}
