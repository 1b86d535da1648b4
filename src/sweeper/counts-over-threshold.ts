import { sql, type SQL } from 'drizzle-orm';
import { COUNTED_STATES } from '../frequency/facts.js';
import type { FrequencyRuleData } from '../rules/declarations/frequency.js';
import type { RuleId } from '../rules/catalog.js';
import { rowsOf } from './job.js';
import { notYetFlagged } from './not-flagged.js';
import type { Db } from '../db/client.js';

/**
 * The CANDIDATES of the FREQUENCY_CAP detector and CASE_FREQUENCY_ANOMALY (Art. 15): one agency's
 * inspections at one enterprise within one period of one frequency threshold, when the rows look like more
 * than the threshold allows (counted states only, the agency's own inspections, the threshold's scope,
 * modes and risk class, calendar periods with weeks from Monday; a threshold counts from the period in
 * which it took effect, up to its retirement). The SQL only narrows the rows: the job counts each
 * candidate again with the rule's own count (src/rules/declarations/frequency.ts countedOnRecord) and
 * flags only what the rule's check fails.
 */
export interface OverThreshold {
  frequency_rule_id: string;
  enterprise_code: string;
  agency_code: string;
  period_start: string;
  district_code: string | null;
}

export interface ThresholdQuery {
  kind: FrequencyRuleData['kind'];
  rule: RuleId;
  /** Which inspections count: those toward caps, or case inspections. */
  counts: 'toward_cap' | 'case';
  /** Oldest counted date looked at: older periods were swept when they were current. */
  since: string;
}

/** The group's flag occurrence: once per threshold, agency and period (the subject is the enterprise). */
export const OCCURRENCE = sql.raw(`g.frequency_rule_id::text || ':' || g.agency_code || ':' || g.period_start`);

/**
 * Which (threshold, inspection) pairs one statement aggregates: `rows` narrows the inspections read (a range of
 * enterprises, or a list of them) and `rules` the thresholds they are counted against (some thresholds, or the
 * domain-scoped ones of some agencies), so that a pass costs what changed, not the table
 * (src/sweeper/frequency-walk.ts builds them).
 */
export interface Reach {
  rows: SQL;
  rules: SQL;
}

/**
 * The parts both candidate statements share, so that the range statement and the full scan count exactly the
 * same pairs (test/integration/frequency-full-scan.test.ts runs both on the same data):
 */
const countedStates = () => sql.join(COUNTED_STATES.map((s) => sql`${s}`), sql`, `);
/** The job's counted inspections (alias `i`): counted states, the job's kind of count, within the Order, since `since`. */
function countedWhere(q: ThresholdQuery): SQL {
  const counted = q.counts === 'case' ? sql`i.kind = 'case'` : sql`i.counts_toward_cap`;
  return sql`i.state IN (${countedStates()}) AND ${counted}
             -- Inspections outside the Order count nowhere (Art. 2, 4).
             AND i.excluded_relation IS NULL AND i.entity_scope <> 'out_of_scope'
             AND i.counted_date >= ${q.since}`;
}
/** Per domain-scoped threshold and agency, the matters of that domain (a hash join, not a probe per inspection). */
const domainMatters = (q: ThresholdQuery) =>
  sql`SELECT r.id AS frequency_rule_id, m.agency_code, array_agg(DISTINCT m.matter_code) AS matter_codes
        FROM frequency_rules r JOIN inspection_matters m ON m.domain = r.scope_value
       WHERE r.kind = ${q.kind} AND r.scope_kind = 'domain'
       GROUP BY r.id, m.agency_code`;
/** The threshold's period holding the inspection, a date while grouping (text only for the groups returned). */
const PERIOD_DAY = sql.raw(`(CASE r.period WHEN 'year' THEN date_trunc('year', i.counted_date::timestamp)
                                WHEN 'quarter' THEN date_trunc('quarter', i.counted_date::timestamp)
                                WHEN 'month' THEN date_trunc('month', i.counted_date::timestamp)
                                ELSE date_trunc('week', i.counted_date::timestamp) END)::date`);
/** Which (threshold r, inspection i) pairs count: `i.risk_class` and `dm.matter_codes` joined by the caller. */
const PAIR_COUNTS = sql.raw(`(r.agency_code IS NULL OR r.agency_code = i.agency_code)
             -- A cap counts only the modes it names (Art. 15, 32).
             AND i.mode = ANY(r.modes)
             AND i.counted_date <= COALESCE(r.effective_to, DATE '9999-12-31')
             AND (r.risk_class IS NULL OR r.risk_class = i.risk_class)
             AND (r.scope_kind = 'agency'
                  OR (r.scope_kind = 'matter' AND r.scope_value = ANY(i.matter_codes))
                  -- Some matter of the inspection is, in some version of the agency's list, of the threshold's domain.
                  OR (r.scope_kind = 'domain' AND i.matter_codes && dm.matter_codes))`);
/** The groups' order, which is also the full scan's keyset. */
const GROUP_ORDER = sql.raw(`g.enterprise_code, g.period_start, g.agency_code, g.frequency_rule_id::text`);

export async function countsOverThreshold(tx: Db, q: ThresholdQuery, reach: Reach): Promise<OverThreshold[]> {
  // No LIMIT and no ids: `reach` bounds the statement, the walk hands its groups out in batches, and the flag's
  // evidence lists the ids the rule counted from the history.
  return rowsOf<OverThreshold>(
    tx,
    sql`WITH domain_matters AS MATERIALIZED (${domainMatters(q)}),
        counted_rows AS MATERIALIZED (
          -- The reach's counted inspections, read once: joined to the thresholds directly, the scan of the
          -- inspections ran again for every threshold (the threshold's retirement date entered its index condition).
          -- The risk class by a probe per row: as a join, the planner scanned all enterprises for each range.
          SELECT i.enterprise_code, i.agency_code, i.counted_date, i.mode, i.matter_codes,
                 (SELECT e.risk_class FROM enterprises e WHERE e.credit_code = i.enterprise_code) AS risk_class
            FROM inspections i
           WHERE ${reach.rows} AND ${countedWhere(q)})
        SELECT g.frequency_rule_id, g.enterprise_code, g.agency_code, g.period_start, a.district_code FROM (SELECT *, to_char(period_day, 'YYYY-MM-DD') AS period_start FROM (
          SELECT r.id AS frequency_rule_id, i.enterprise_code, i.agency_code, ${PERIOD_DAY} AS period_day,
                 r.max_count, r.effective_from, max(i.counted_date) AS last_date
            FROM frequency_rules r
            JOIN counted_rows i ON (r.agency_code IS NULL OR r.agency_code = i.agency_code)
            LEFT JOIN domain_matters dm ON dm.frequency_rule_id = r.id AND dm.agency_code = i.agency_code
           WHERE r.kind = ${q.kind}
             AND ${reach.rules}
             AND ${PAIR_COUNTS}
           GROUP BY r.id, r.max_count, r.effective_from, r.period, i.enterprise_code, i.agency_code, 4
          HAVING count(*) > r.max_count
        ) d) g
        JOIN agencies a ON a.code = g.agency_code
        WHERE g.last_date >= g.effective_from -- the threshold was in force when the period's last counted inspection happened
          AND ${notYetFlagged(q.rule, 'enterprise', sql.raw('g.enterprise_code'), OCCURRENCE)}
        ORDER BY ${GROUP_ORDER}`,
  );
}

/** Where a full scan stopped: the last group it returned (GROUP_ORDER). */
export type GroupKey = Pick<OverThreshold, 'enterprise_code' | 'period_start' | 'agency_code' | 'frequency_rule_id'>;

/**
 * Memory for one full scan's hash aggregation and joins, per process (hash nodes may use hash_mem_multiplier times
 * this, 2 by default). At 10 M inspections pass D's scan over one any-agency threshold aggregates 1.7 M groups of
 * (threshold, enterprise, agency, period) in 418 MB, in one batch; a cold pass over the five demo thresholds
 * aggregates 10.2 M (5.1 M over their threshold) and spills (2.2 GB on disk in 5 batches) but completes. With the default 4 MB even one
 * threshold's aggregate would spill in hundreds of batches.
 */
const SCAN_WORK_MEM = '256MB';

/**
 * The candidates over every enterprise in one statement: what a cold pass, a changed threshold or a changed
 * domain needs (src/sweeper/frequency-walk.ts). The range statement above reads an enterprise's rows through the
 * enterprise index, ~0.8 s per 2,000 enterprises at 10 M rows because their rows lie all over the table; walking
 * every enterprise so took 413 s. Here the counted rows of the periods looked at are read once, by a (parallel)
 * sequential scan — or the case index for case inspections, when the planner finds it cheaper — with the risk
 * class by one hash join, and grouped by hash aggregation per threshold, enterprise, agency and period.
 *
 * It returns at most `limit` groups over their threshold and not yet flagged, in GROUP_ORDER after `after`: the
 * walk hands them out in batches and runs the scan again after the last group when it has used them, so that a
 * pass finding millions of groups (a first pass over a history that never met the caps) holds a bounded number in
 * memory. `needsRiskClass` false leaves out the join with the enterprises when no threshold looked at is graded.
 */
export async function countsOverThresholdScan(
  tx: Db,
  q: ThresholdQuery,
  scope: ScanScope,
  after: GroupKey | null,
  limit: number,
): Promise<OverThreshold[]> {
  const [before] = await rowsOf<{ sort: string; setup: string; tuple: string }>(
    tx,
    sql`SELECT current_setting('enable_sort') AS sort, current_setting('parallel_setup_cost') AS setup, current_setting('parallel_tuple_cost') AS tuple`,
  );
  await tx.execute(scanSettings());
  const groups = await rowsOf<OverThreshold>(tx, scanStatement(q, scope, after, limit));
  // The flags raised next in the batch plan as usual.
  await tx.execute(sql`SELECT set_config('enable_sort', ${before!.sort}, true), set_config('parallel_setup_cost', ${before!.setup}, true),
                              set_config('parallel_tuple_cost', ${before!.tuple}, true)`);
  return groups;
}

export interface ScanScope {
  /** Which thresholds (r) are counted, possibly per agency (i.agency_code). */
  rules: SQL;
  needsRiskClass: boolean;
}

/**
 * For the scan (and the rest of its batch's transaction for work_mem and jit): the aggregation in memory, no JIT
 * (compiling the expressions of a plan costed in millions of rows takes seconds and saves less on these simple
 * expressions), hash aggregation rather than a sort, and a parallel scan. The planner underestimates the pairs of
 * (threshold, inspection) by two orders of magnitude (98 k for 10 M at 10 M rows: it cannot see that an
 * any-agency threshold matches every row), so by its costs it sorted the 10 M pairs (external merge, 724 MB on
 * disk: 138 s for pass D) and kept the scan serial; with sorting discouraged and parallel tuples costed as cheap it
 * hash-aggregates them in memory (418 MB, one batch) behind a Parallel Seq Scan: 32 s (docs/BENCHMARKS.md).
 */
export const scanSettings = () =>
  sql`SELECT set_config('work_mem', ${SCAN_WORK_MEM}, true), set_config('jit', 'off', true), set_config('enable_sort', 'off', true),
             set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0.001', true)`;

/** The scan's statement (bench/probe-scan.ts explains it). */
export function scanStatement(q: ThresholdQuery, scope: ScanScope, after: GroupKey | null, limit: number | null): SQL {
  const riskClass = scope.needsRiskClass
    ? { column: sql`e.risk_class`, join: sql`LEFT JOIN enterprises e ON e.credit_code = i.enterprise_code` }
    : { column: sql`NULL::text`, join: sql`` };
  // No CTE: a CTE scan is parallel-restricted, and materializing millions of rows would spill them to disk; the
  // inspections' side stays in the parallel part of the plan, the domains' small aggregate is read by each worker.
  return sql`SELECT g.frequency_rule_id, g.enterprise_code, g.agency_code, g.period_start, a.district_code FROM (
          SELECT d.*, to_char(d.period_day, 'YYYY-MM-DD') AS period_start FROM (
            SELECT r.id AS frequency_rule_id, i.enterprise_code, i.agency_code, ${PERIOD_DAY} AS period_day,
                   r.max_count, r.effective_from, max(i.counted_date) AS last_date
              FROM (SELECT i.enterprise_code, i.agency_code, i.counted_date, i.mode, i.matter_codes, ${riskClass.column} AS risk_class
                      FROM inspections i ${riskClass.join}
                     WHERE ${countedWhere(q)}
                       ${after === null ? sql`` : sql`AND i.enterprise_code >= ${after.enterprise_code}`}) i
              JOIN frequency_rules r ON (r.agency_code IS NULL OR r.agency_code = i.agency_code)
              LEFT JOIN (${domainMatters(q)}) dm ON dm.frequency_rule_id = r.id AND dm.agency_code = i.agency_code
             WHERE r.kind = ${q.kind}
               AND ${scope.rules}
               AND ${PAIR_COUNTS}
             -- r.id is the key of frequency_rules: the group carries its max_count and effective_from.
             GROUP BY r.id, i.enterprise_code, i.agency_code, 4
            HAVING count(*) > r.max_count
          ) d) g
        JOIN agencies a ON a.code = g.agency_code
        WHERE g.last_date >= g.effective_from
          ${after === null ? sql`` : sql`AND (${GROUP_ORDER}) > (${after.enterprise_code}, ${after.period_start}, ${after.agency_code}, ${after.frequency_rule_id})`}
          AND ${notYetFlagged(q.rule, 'enterprise', sql.raw('g.enterprise_code'), OCCURRENCE)}
        ORDER BY ${GROUP_ORDER}
        ${limit === null ? sql`` : sql`LIMIT ${limit}`}`;
}

/** The thresholds named by a batch, as the pure rule functions take them. */
export async function thresholdsById(tx: Db, ids: readonly string[]): Promise<Map<string, FrequencyRuleData>> {
  if (ids.length === 0) return new Map();
  const rows = await rowsOf<Record<string, unknown>>(
    tx,
    sql`SELECT id, kind, issuer_name, document_no, scope_kind, scope_value, agency_code, period, max_count, risk_class, modes,
               to_char(effective_from, 'YYYY-MM-DD') AS effective_from, to_char(effective_to, 'YYYY-MM-DD') AS effective_to
          FROM frequency_rules WHERE id::text IN (${sql.join([...new Set(ids)].map((id) => sql`${id}`), sql`, `)})`,
  );
  return new Map(
    rows.map((r) => [
      String(r.id),
      {
        id: String(r.id),
        kind: r.kind as FrequencyRuleData['kind'],
        issuerName: String(r.issuer_name),
        documentNo: String(r.document_no),
        scopeKind: r.scope_kind as FrequencyRuleData['scopeKind'],
        scopeValue: (r.scope_value as string | null) ?? null,
        agencyCode: (r.agency_code as string | null) ?? null,
        period: r.period as FrequencyRuleData['period'],
        maxCount: Number(r.max_count),
        modes: r.modes as FrequencyRuleData['modes'],
        riskClass: (r.risk_class as string | null) ?? null,
        effectiveFrom: String(r.effective_from),
        effectiveTo: (r.effective_to as string | null) ?? null,
      },
    ]),
  );
}
