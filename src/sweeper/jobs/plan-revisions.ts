import { sql, type SQL } from 'drizzle-orm';
import { PlanAmendedNotRefiled, PlanNotPublished } from '../../rules/declarations/plans.js';
import { flagRows } from '../confirm.js';
import { rowsOf, type SweepJob, type SweepOptions } from '../job.js';
import { notYetFlagged } from '../not-flagged.js';

/** A plan revision whose duty (publish, refile) has come due: what the job's query returns. */
interface DueRevision {
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

/** Where each kind of plan lives: its table, its name in a message, its key in the flag's evidence. */
const PLAN_KINDS = {
  plan: { table: sql.raw('plans'), label: sql.raw('p.year::text'), idKey: 'planId', plan: 'annual' },
  special_plan: { table: sql.raw('special_plans'), label: sql.raw('p.title'), idKey: 'specialPlanId', plan: 'special' },
} as const;

interface Duty {
  rule: typeof PlanNotPublished | typeof PlanAmendedNotRefiled;
  days: (options: Required<SweepOptions>) => number;
  /** The column the duty's clock starts from, and the rows still waiting on it. */
  since: 'filed_at' | 'amended_at';
  pending: SQL;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The Art. 14 duties on a plan revision — publish it after filing, refile it after amending — judged the
 * same way for annual and special plans: a revision still waiting `days` after its clock started is
 * flagged once (occurrence `r<revision>`), the oldest first, rows locked FOR UPDATE … SKIP LOCKED.
 */
function planRevisionJob({ name, subjectType, duty }: { name: string; subjectType: keyof typeof PLAN_KINDS; duty: Duty }): SweepJob {
  const kind = PLAN_KINDS[subjectType];
  const since = sql.raw(`p.${duty.since}`);
  return {
    name,
    rule: duty.rule.id,
    async runBatch(tx, { at, options }, limit) {
      const days = duty.days(options);
      const cutoff = new Date(at.getTime() - days * DAY_MS).toISOString();
      const due = await rowsOf<DueRevision>(
        tx,
        sql`SELECT p.id, p.agency_code, ${kind.label} AS label, p.revision, ${since} AS since, a.name, a.district_code
              FROM ${kind.table} p JOIN agencies a ON a.code = p.agency_code
              WHERE ${duty.pending} AND ${since} <= ${cutoff}
                AND ${notYetFlagged(duty.rule.id, subjectType, sql.raw('p.id::text'), sql`'r' || p.revision`)}
              ORDER BY ${since}
              LIMIT ${limit}
              FOR UPDATE OF p SKIP LOCKED`,
      );
      return flagRows(tx, at, due, (p) => {
        const sinceAt = new Date(p.since);
        return {
          result: duty.rule.check({ plan: kind.plan, agencyName: p.name, label: p.label, revision: p.revision, since: sinceAt, at, days, pending: true }),
          subject: {
            subjectType,
            subjectId: p.id,
            occurrence: `r${p.revision}`,
            agencyCode: p.agency_code,
            districtCode: p.district_code,
            evidence: { [kind.idKey]: p.id, revision: p.revision, [duty.since === 'filed_at' ? 'filedAt' : 'amendedAt']: sinceAt.toISOString() },
          },
        };
      });
    },
  };
}

/**
 * PLAN_NOT_PUBLISHED (Art. 14: 行政执法主体应当依法向社会公布行政检查计划, annual and special plans alike): a
 * plan still filed but unpublished `planPublishWithinDays` days after filing is flagged, once per revision
 * (an adjusted plan that is refiled must be published again). A deployed special plan is never filed here.
 */
const notPublished: Duty = { rule: PlanNotPublished, days: (o) => o.planPublishWithinDays, since: 'filed_at', pending: sql`p.state = 'filed'` };
export const planNotPublishedJob = planRevisionJob({ name: 'plan-not-published', subjectType: 'plan', duty: notPublished });
export const specialPlanNotPublishedJob = planRevisionJob({ name: 'special-plan-not-published', subjectType: 'special_plan', duty: notPublished });

/**
 * PLAN_AMENDED_NOT_REFILED, the detector half (Art. 14 ¶2: 应当在检查计划调整后报送备案): a plan amended and
 * still not submitted again `planRefileWithinDays` days later (PLAN_REFILE_DAYS) is flagged, once per
 * revision — an annual plan marked for refiling, a special plan back in draft at a later revision (its
 * adjustment neither approved nor reported). The guard halves are filed-plan.ts (changed and new items cover
 * nothing until filed) and usable-special-plan.ts.
 */
const refile = (pending: SQL): Duty => ({ rule: PlanAmendedNotRefiled, days: (o) => o.planRefileWithinDays, since: 'amended_at', pending });
export const planAmendedNotRefiledJob = planRevisionJob({ name: 'plan-amended-not-refiled', subjectType: 'plan', duty: refile(sql`p.needs_refiling AND p.state = 'draft'`) });
export const specialPlanAmendedNotRefiledJob = planRevisionJob({ name: 'special-plan-amended-not-refiled', subjectType: 'special_plan', duty: refile(sql`p.state = 'draft' AND p.revision > 1`) });
