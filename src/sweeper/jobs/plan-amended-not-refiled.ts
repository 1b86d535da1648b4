import { sql } from 'drizzle-orm';
import { raiseFlag, SYSTEM_ACTOR } from '../../flags/raise.js';
import { shanghaiDate } from '../../time/shanghai-date.js';
import { notYetFlagged } from '../not-flagged.js';
import { rowsOf, type SweepJob } from '../job.js';

interface DuePlan {
  id: string;
  agency_code: string;
  year: number;
  revision: number;
  amended_at: Date | string;
  name: string;
  district_code: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * PLAN_AMENDED_NOT_REFILED, the detector half (Art. 14 ¶2: 应当在检查计划调整后报送备案): an annual plan
 * amended and still not submitted again `planRefileWithinDays` days later (PLAN_REFILE_DAYS) is flagged,
 * once per revision. The guard half is in filed-plan.ts: changed and new items cover nothing until filed.
 */
export const planAmendedNotRefiledJob: SweepJob = {
  name: 'plan-amended-not-refiled',
  rule: 'PLAN_AMENDED_NOT_REFILED',
  async runBatch(tx, { at, options }, limit) {
    const days = options.planRefileWithinDays;
    const cutoff = new Date(at.getTime() - days * DAY_MS);
    const due = await rowsOf<DuePlan>(
      tx,
      sql`SELECT p.id, p.agency_code, p.year, p.revision, p.amended_at, a.name, a.district_code
          FROM plans p JOIN agencies a ON a.code = p.agency_code
          WHERE p.needs_refiling AND p.state = 'draft' AND p.amended_at <= ${cutoff.toISOString()}
            AND ${notYetFlagged('PLAN_AMENDED_NOT_REFILED', 'plan', sql.raw('p.id::text'), sql.raw("'r' || p.revision"))}
          ORDER BY p.amended_at
          LIMIT ${limit}
          FOR UPDATE OF p SKIP LOCKED`,
    );
    let raised = 0;
    for (const p of due) {
      const amendedOn = shanghaiDate(new Date(p.amended_at));
      const id = await raiseFlag(tx, at, SYSTEM_ACTOR, {
        rule: 'PLAN_AMENDED_NOT_REFILED',
        subjectType: 'plan',
        subjectId: p.id,
        occurrence: `r${p.revision}`,
        agencyCode: p.agency_code,
        districtCode: p.district_code,
        observed: amendedOn,
        limit: days,
        detail: `${p.name}${p.year}年度日常检查计划于${amendedOn}调整（第${p.revision}版），${days}日内未重新报送备案，违反第十四条第二款`,
        evidence: { planId: p.id, revision: p.revision, amendedAt: new Date(p.amended_at).toISOString() },
      });
      if (id) raised++;
    }
    return { selected: due.length, raised };
  },
};
