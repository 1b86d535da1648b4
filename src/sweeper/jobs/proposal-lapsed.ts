import { sql } from 'drizzle-orm';
import { jointProposalMachine } from '../../../machines/joint-proposal.machine.js';
import { proposalUnitMachine } from '../../../machines/joint-proposal-unit.machine.js';
import { decide } from '../../../machines/kernel.js';
import { appendAudit } from '../../audit/append.js';
import { raiseFlag, SYSTEM_ACTOR } from '../../flags/raise.js';
import { responseDaysZh } from '../../proposals/settings.js';
import { JOINT_PROPOSAL_LAPSED } from '../../rules/declarations/proposals.js';
import { rowsOf, type SweepJob } from '../job.js';

interface Due {
  id: string;
  enterprise_code: string;
  district_code: string;
  lead_agency_code: string;
  respond_by: string;
  enterprise_name: string;
}

/**
 * JOINT_PROPOSAL_LAPSED (Art. 28: 协同单位应当在监管职责范围内参与“综合查一次”检查): an open proposed joint
 * visit whose answer period has passed lapses; every unit that had not answered is marked lapsed and
 * flagged once (occurrence = its agency). Rows are taken FOR UPDATE SKIP LOCKED, so two sweepers split them.
 */
export const proposalLapsedJob: SweepJob = {
  name: 'proposal-lapsed',
  rule: 'JOINT_PROPOSAL_LAPSED',
  async runBatch(tx, { at }, limit) {
    const due = await rowsOf<Due>(
      tx,
      sql`SELECT p.id, p.enterprise_code, p.district_code, p.lead_agency_code, p.respond_by::text AS respond_by, e.name AS enterprise_name
          FROM joint_proposals p JOIN enterprises e ON e.credit_code = p.enterprise_code
          WHERE p.state = 'open' AND p.respond_by < ${at.toISOString()}
          ORDER BY p.respond_by, p.id
          LIMIT ${limit}
          FOR UPDATE OF p SKIP LOCKED`,
    );
    let raised = 0;
    for (const p of due) {
      const decision = decide(jointProposalMachine, 'open', {}, { type: 'LAPSE', pastDue: true });
      if (!decision.ok) continue;
      const silent = await rowsOf<{ agency_code: string; name: string }>(
        tx,
        sql`SELECT u.agency_code, a.name FROM joint_proposal_units u JOIN agencies a ON a.code = u.agency_code WHERE u.proposal_id = ${p.id} AND u.state = 'pending' ORDER BY u.agency_code`,
      );
      const unitNext = decide(proposalUnitMachine, 'pending', {}, { type: 'LAPSE' });
      await tx.execute(sql`UPDATE joint_proposal_units SET state = ${unitNext.state} WHERE proposal_id = ${p.id} AND state = 'pending'`);
      await tx.execute(sql`UPDATE joint_proposals SET state = ${decision.state}, version = version + 1, updated_at = ${at.toISOString()} WHERE id = ${p.id}`);
      await appendAudit(tx, { action: 'joint_proposal.lapsed', subjectType: 'joint_proposal', subjectId: p.id, agencyCode: p.lead_agency_code, enterpriseCode: p.enterprise_code, districtCode: p.district_code, before: 'open', after: decision.state, payload: { silent: silent.map((s) => s.agency_code) }, at, actor: SYSTEM_ACTOR.sub, role: SYSTEM_ACTOR.role, requestId: null });
      for (const s of silent) {
        // The candidate row is confirmed by the rule's own check before anything is flagged.
        const lapsed = JOINT_PROPOSAL_LAPSED({ unitName: s.name, enterpriseName: p.enterprise_name, unitState: 'pending', respondBy: p.respond_by, at: at.toISOString(), periodZh: responseDaysZh() });
        if (lapsed.passed) continue;
        const id = await raiseFlag(tx, at, SYSTEM_ACTOR, {
          rule: lapsed.rule,
          subjectType: 'joint_proposal',
          subjectId: p.id,
          occurrence: s.agency_code,
          agencyCode: s.agency_code,
          enterpriseCode: p.enterprise_code,
          districtCode: p.district_code,
          observed: lapsed.observed,
          limit: lapsed.limit,
          detail: lapsed.detail!,
          evidence: { proposalId: p.id, respondBy: p.respond_by },
        });
        if (id) raised++;
      }
    }
    return { selected: due.length, raised };
  },
};
