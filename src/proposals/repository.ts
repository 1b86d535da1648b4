import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { jointProposals, jointProposalUnits } from '../db/schema/index.js';

export type JointProposal = typeof jointProposals.$inferSelect;
export type ProposalUnit = typeof jointProposalUnits.$inferSelect;

export async function findProposal(db: Db, id: string, lock?: 'update'): Promise<JointProposal | undefined> {
  const q = db.select().from(jointProposals).where(eq(jointProposals.id, id));
  const [row] = await (lock ? q.for(lock) : q);
  return row;
}

export function unitsOfProposal(db: Db, id: string): Promise<ProposalUnit[]> {
  return db.select().from(jointProposalUnits).where(eq(jointProposalUnits.proposalId, id)).orderBy(desc(jointProposalUnits.role), asc(jointProposalUnits.agencyCode));
}

export async function updateProposal(db: Db, row: JointProposal, patch: Partial<typeof jointProposals.$inferInsert>, at: Date): Promise<JointProposal> {
  const [out] = await db.update(jointProposals).set({ ...patch, version: row.version + 1, updatedAt: at }).where(eq(jointProposals.id, row.id)).returning();
  return out!;
}

export async function updateProposalUnit(db: Db, u: ProposalUnit, patch: Partial<typeof jointProposalUnits.$inferInsert>): Promise<void> {
  await db.update(jointProposalUnits).set(patch).where(and(eq(jointProposalUnits.proposalId, u.proposalId), eq(jointProposalUnits.agencyCode, u.agencyCode)));
}

export interface ProposalFilter {
  agency?: string;
  district?: string;
  period?: string;
  state?: JointProposal['state'];
  limit: number;
  offset: number;
}

/** Proposals, newest first; `agency` keeps those the agency is a unit of. */
export async function listProposals(db: Db, f: ProposalFilter): Promise<JointProposal[]> {
  const where: SQL[] = [];
  if (f.district) where.push(eq(jointProposals.districtCode, f.district));
  if (f.period) where.push(eq(jointProposals.period, f.period));
  if (f.state) where.push(eq(jointProposals.state, f.state));
  if (f.agency) {
    const ids = db.select({ id: jointProposalUnits.proposalId }).from(jointProposalUnits).where(eq(jointProposalUnits.agencyCode, f.agency));
    where.push(inArray(jointProposals.id, ids));
  }
  return db.select().from(jointProposals).where(and(...where)).orderBy(asc(jointProposals.windowStart), asc(jointProposals.id)).limit(f.limit).offset(f.offset);
}
