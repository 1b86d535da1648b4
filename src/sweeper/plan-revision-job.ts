import { sql, type SQL } from 'drizzle-orm';
import { PlanAmendedNotRefiled, PlanNotPublished } from '../rules/declarations/plans.js';
import { flagIfFailed } from './confirm.js';
import { rowsOf, type SweepJob, type SweepOptions } from './job.js';
import { notYetFlagged } from './not-flagged.js';

/** A plan revision whose duty (publish, refile) has come due: what the job's query returns. */
export interface DueRevision {
  id: string;
  agency_code: string;
  /** How the plan is named in the message: the annual plan's year, the special plan's title. */
  label: string;
  revision: number;
  /** When the clock started: the filing (publish within N days) or the amendment (refile within N days). */
  since: Date | string;
  name: string;
  district_code: string | null;
}

export interface PlanRevisionJobSpec {
  name: string;
  /** The rule's declaration: its check judges each due revision and words the flag. */
  rule: typeof PlanNotPublished | typeof PlanAmendedNotRefiled;
  subjectType: 'plan' | 'special_plan';
  days: (options: Required<SweepOptions>) => number;
  /**
   * The due revisions, oldest first, locked (FOR UPDATE … SKIP LOCKED): `notFlagged` is the condition to
   * AND in, over the plan's id and its revision (the flag's occurrence).
   */
  select: (cutoff: string, limit: number, notFlagged: (id: SQL, revision: SQL) => SQL) => SQL;
  evidence: (p: DueRevision, sinceIso: string) => Record<string, unknown>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The Art. 14 duties on a plan revision — publish it after filing, refile it after amending — judged the
 * same way for annual and special plans: a revision still waiting `days` after its clock started is
 * flagged once (occurrence `r<revision>`).
 */
export function planRevisionJob(spec: PlanRevisionJobSpec): SweepJob {
  return {
    name: spec.name,
    rule: spec.rule.id,
    async runBatch(tx, { at, options }, limit) {
      const days = spec.days(options);
      const cutoff = new Date(at.getTime() - days * DAY_MS).toISOString();
      const notFlagged = (id: SQL, revision: SQL) => notYetFlagged(spec.rule.id, spec.subjectType, id, sql`'r' || ${revision}`);
      const due = await rowsOf<DueRevision>(tx, spec.select(cutoff, limit, notFlagged));
      let raised = 0;
      for (const p of due) {
        const since = new Date(p.since);
        const result = spec.rule.check({ plan: spec.subjectType === 'plan' ? 'annual' : 'special', agencyName: p.name, label: p.label, revision: p.revision, since, at, days, pending: true });
        const flagged = await flagIfFailed(tx, at, result, {
          subjectType: spec.subjectType,
          subjectId: p.id,
          occurrence: `r${p.revision}`,
          agencyCode: p.agency_code,
          districtCode: p.district_code,
          evidence: spec.evidence(p, since.toISOString()),
        });
        if (flagged) raised++;
      }
      return { selected: due.length, raised };
    },
  };
}
