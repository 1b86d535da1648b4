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

export async function countsOverThreshold(tx: Db, q: ThresholdQuery, reach: Reach): Promise<OverThreshold[]> {
  const counted = q.counts === 'case' ? sql`i.kind = 'case'` : sql`i.counts_toward_cap`;
  const states = sql.join(COUNTED_STATES.map((s) => sql`${s}`), sql`, `);
  // No LIMIT and no ids: `reach` bounds the statement, the walk hands its groups out in batches, and the flag's
  // evidence lists the ids the rule counted from the history.
  return rowsOf<OverThreshold>(
    tx,
    sql`WITH domain_matters AS MATERIALIZED (
          -- Per domain-scoped threshold and agency, the matters of that domain: one hash join instead of a probe of
          -- the matter list for every inspection (10 M probes at 10 M rows).
          SELECT r.id AS frequency_rule_id, m.agency_code, array_agg(DISTINCT m.matter_code) AS matter_codes
            FROM frequency_rules r JOIN inspection_matters m ON m.domain = r.scope_value
           WHERE r.kind = ${q.kind} AND r.scope_kind = 'domain'
           GROUP BY r.id, m.agency_code),
        counted_rows AS MATERIALIZED (
          -- The reach's counted inspections, read once: joined to the thresholds directly, the scan of the
          -- inspections ran again for every threshold (the threshold's retirement date entered its index condition).
          -- The risk class by a probe per row: as a join, the planner scanned all enterprises for each range.
          SELECT i.enterprise_code, i.agency_code, i.counted_date, i.mode, i.matter_codes,
                 (SELECT e.risk_class FROM enterprises e WHERE e.credit_code = i.enterprise_code) AS risk_class
            FROM inspections i
           WHERE ${reach.rows}
             AND i.state IN (${states}) AND ${counted}
             -- Inspections outside the Order count nowhere (Art. 2, 4).
             AND i.excluded_relation IS NULL AND i.entity_scope <> 'out_of_scope'
             AND i.counted_date >= ${q.since})
        SELECT g.frequency_rule_id, g.enterprise_code, g.agency_code, g.period_start, a.district_code FROM (SELECT *, to_char(period_day, 'YYYY-MM-DD') AS period_start FROM (
          SELECT r.id AS frequency_rule_id, i.enterprise_code, i.agency_code,
                 -- A date while grouping, text only for the groups returned (to_char on every row was most of the sort).
                 (CASE r.period WHEN 'year' THEN date_trunc('year', i.counted_date::timestamp)
                                WHEN 'quarter' THEN date_trunc('quarter', i.counted_date::timestamp)
                                WHEN 'month' THEN date_trunc('month', i.counted_date::timestamp)
                                ELSE date_trunc('week', i.counted_date::timestamp) END)::date AS period_day,
                 r.max_count, r.effective_from, max(i.counted_date) AS last_date
            FROM frequency_rules r
            JOIN counted_rows i ON (r.agency_code IS NULL OR r.agency_code = i.agency_code)
            LEFT JOIN domain_matters dm ON dm.frequency_rule_id = r.id AND dm.agency_code = i.agency_code
           WHERE r.kind = ${q.kind}
             AND ${reach.rules}
             -- A cap counts only the modes it names (Art. 15, 32).
             AND i.mode = ANY(r.modes)
             AND i.counted_date <= COALESCE(r.effective_to, DATE '9999-12-31')
             AND (r.risk_class IS NULL OR r.risk_class = i.risk_class)
             AND (r.scope_kind = 'agency'
                  OR (r.scope_kind = 'matter' AND r.scope_value = ANY(i.matter_codes))
                  -- Some matter of the inspection is, in some version of the agency's list, of the threshold's domain.
                  OR (r.scope_kind = 'domain' AND i.matter_codes && dm.matter_codes))
           GROUP BY r.id, r.max_count, r.effective_from, r.period, i.enterprise_code, i.agency_code, 4
          HAVING count(*) > r.max_count
        ) d) g
        JOIN agencies a ON a.code = g.agency_code
        WHERE g.last_date >= g.effective_from -- the threshold was in force when the period's last counted inspection happened
          AND ${notYetFlagged(q.rule, 'enterprise', sql.raw('g.enterprise_code'), OCCURRENCE)}
        ORDER BY g.enterprise_code, g.period_start, g.agency_code, g.frequency_rule_id`,
  );
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
