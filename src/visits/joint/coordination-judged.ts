import { and, arrayOverlaps, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { jointProposals, jointProposalUnits } from '../../db/schema/index.js';

/**
 * One decision, judged once. When the engine proposed a joint visit naming both agencies (from their drafted
 * schemes, or from their plans for the quarter) and the proposal was declined or lapsed, the choice not to go
 * together was already judged under 第二十八条: a unit that declined without a reason or stayed silent is
 * flagged (JOINT_PROPOSAL_DECLINED_WITHOUT_REASON, JOINT_PROPOSAL_LAPSED); a listed reason is on the
 * declarations register, where the supervisors confirm it (the unit went alone with cause) or reject it (and the
 * unit is flagged); the unit that accepted did coordinate. So JOINT_NOT_COORDINATED (第二十六条) is not
 * raised again for that pair of visits. A proposal still open excuses nothing: going alone while it waits
 * for answers is what 第二十六条 is about.
 */
export async function pairJudgedUnderProposal(tx: Db, q: { enterpriseCode: string; countedDate: string; visits: [{ inspectionId: string; agencyCode: string }, { inspectionId: string; agencyCode: string }] }): Promise<string | null> {
  const [a, b] = q.visits;
  const unitOf = (agency: string) => tx.select({ id: jointProposalUnits.proposalId }).from(jointProposalUnits).where(eq(jointProposalUnits.agencyCode, agency));
  const quarter = `${q.countedDate.slice(0, 4)}Q${Math.ceil(Number(q.countedDate.slice(5, 7)) / 3)}`;
  const [row] = await tx
    .select({ id: jointProposals.id })
    .from(jointProposals)
    .where(
      and(
        eq(jointProposals.enterpriseCode, q.enterpriseCode),
        inArray(jointProposals.state, ['declined', 'lapsed']),
        or(
          and(eq(jointProposals.source, 'scheme'), arrayOverlaps(jointProposals.inspectionIds, [a.inspectionId, b.inspectionId])),
          and(eq(jointProposals.source, 'plan'), eq(jointProposals.period, quarter)),
        ),
        inArray(jointProposals.id, unitOf(a.agencyCode)),
        inArray(jointProposals.id, unitOf(b.agencyCode)),
      ),
    )
    .limit(1);
  return row?.id ?? null;
}
