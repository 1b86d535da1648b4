import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { countsOverThreshold, countsOverThresholdScan, type GroupKey, type OverThreshold, type ThresholdQuery } from './counts-over-threshold.js';
import type { PassScope } from './frequency-watermark.js';
import { rowsOf } from './job.js';

/**
 * Enterprises per listed statement, per group a batch flags (2,000 for the default batch of 500). A statement over
 * a list of enterprises reads their rows through inspections_enterprise_date_idx, so its cost stays bounded
 * whatever the table's size (~0.8 s per 2,000 enterprises at 10 M rows and load 20, docs/BENCHMARKS.md).
 */
const ENTERPRISES_PER_GROUP = 4;
/** Statements a batch may run before it hands back, so that a walk finding nothing keeps its transactions short. */
const STATEMENTS_PER_BATCH = 10;

/**
 * From how many changed enterprises a pass runs one full scan instead of the listed statements. The listed path
 * costs ~5 s per 1,000 changed enterprises at 10 M rows (pass C of "Sweeper pass at 10 M", load ~20: 4.9 s for
 * 1,000), growing with the change set; the full scan costs what the table costs, 32 s for the cap job at 10 M and
 * load ~6 (pass D there), whatever changed. They meet near 6,000 enterprises at 10 M; rounded down, since the
 * listed statements' time was measured at a lighter share of the machine than the scan's. On a smaller table the
 * scan is cheaper and the true crossover lower, but there both paths take seconds, so one constant, chosen where
 * it matters.
 */
export const SCAN_FROM_ENTERPRISES = 5_000;
/**
 * Groups one full scan returns at most (its LIMIT, in the keyset order): the walk runs the scan again after the
 * last group once it has flagged them. 100,000 groups are ~25 MB in the process; a first pass finding millions of
 * violations then re-scans once per 100,000 flags, which at ~265 flags/s (10 M rows, a quiet machine) is a scan every
 * six minutes of raising.
 */
export const SCAN_GROUPS = 100_000;

/** How a pass chooses its path; the sweeper's defaults are the constants above (tests force either path). */
export interface WalkTuning {
  scanFromEnterprises: number;
  scanGroups: number;
}
export const DEFAULT_WALK: WalkTuning = { scanFromEnterprises: SCAN_FROM_ENTERPRISES, scanGroups: SCAN_GROUPS };

/**
 * One pass's walk over its candidate groups. What the pass must look at (src/sweeper/frequency-watermark.ts):
 *   - scanned: every threshold (the job never completed a pass, or more enterprises changed than
 *     SCAN_FROM_ENTERPRISES), the thresholds changed since, and the domain-scoped thresholds of agencies whose
 *     matter lists changed — each over every enterprise, so one full scan per pass (countsOverThresholdScan),
 *     continued after its last group when it returned its limit;
 *   - listed: every threshold over the enterprises whose counted inspections or risk class changed, in slices.
 * Nothing else can push a group over its threshold: the count reads only those rows, and the passing of time
 * changes no count (docs/ARCHITECTURE.md, "The sweeper's frequency passes"). A group both scanned and listed may
 * be looked at twice; the flag's unique occurrence makes the second a no-op.
 */
export interface FrequencyWalk {
  scope: PassScope;
  /** The scan's thresholds: `rules` may name the inspection's agency (`i`), `ruleSide` only the threshold (`r`). */
  scan: { rules: SQL; ruleSide: SQL } | null;
  /** Read at the scan's first statement: whether any threshold it looks at is graded by risk class. */
  needsRiskClass: boolean | null;
  /** The last group of the scan so far (null: none yet). */
  after: GroupKey | null;
  scanDone: boolean;
  scanGroups: number;
  listed: string[];
  listedNext: number;
  queue: OverThreshold[];
}

// Credit codes, agency codes and ids are plain ASCII without commas or quotes: one array literal each.
const list = (values: readonly string[]) => sql`${`{${values.join(',')}}`}::text[]`;

export function newWalk(scope: PassScope, tuning: WalkTuning = DEFAULT_WALK): FrequencyWalk {
  const everything = !scope.incremental || scope.enterprises.length >= Math.max(1, tuning.scanFromEnterprises);
  const rules: SQL[] = [];
  const ruleSide: SQL[] = [];
  if (everything) {
    rules.push(sql`TRUE`);
    ruleSide.push(sql`TRUE`);
  } else {
    if (scope.rules.length > 0) {
      rules.push(sql`r.id::text = ANY(${list(scope.rules)})`);
      ruleSide.push(sql`r.id::text = ANY(${list(scope.rules)})`);
    }
    if (scope.agencies.length > 0) {
      rules.push(sql`(r.scope_kind = 'domain' AND i.agency_code = ANY(${list(scope.agencies)}))`);
      ruleSide.push(sql`r.scope_kind = 'domain'`);
    }
  }
  const or = (parts: SQL[]) => sql`(${sql.join(parts, sql` OR `)})`;
  return {
    scope,
    scan: rules.length > 0 ? { rules: or(rules), ruleSide: or(ruleSide) } : null,
    needsRiskClass: null,
    after: null,
    scanDone: rules.length === 0,
    scanGroups: tuning.scanGroups,
    listed: everything ? [] : [...scope.enterprises].sort(),
    listedNext: 0,
    queue: [],
  };
}

export const walked = (w: FrequencyWalk) => w.scanDone && w.listedNext >= w.listed.length && w.queue.length === 0;

/** Up to `limit` groups, running candidate statements until it has them or has run its share for this batch. */
export async function nextGroups(tx: Db, q: ThresholdQuery, w: FrequencyWalk, limit: number): Promise<OverThreshold[]> {
  const size = limit * ENTERPRISES_PER_GROUP;
  for (let statements = 0; w.queue.length < limit && statements < STATEMENTS_PER_BATCH; statements++) {
    if (!w.scanDone) {
      const scan = w.scan!;
      if (w.needsRiskClass === null) {
        const [row] = await rowsOf<{ graded: boolean }>(
          tx,
          sql`SELECT EXISTS (SELECT 1 FROM frequency_rules r WHERE r.kind = ${q.kind} AND r.risk_class IS NOT NULL AND ${scan.ruleSide}) AS graded`,
        );
        w.needsRiskClass = row!.graded;
      }
      const groups = await countsOverThresholdScan(tx, q, { rules: scan.rules, needsRiskClass: w.needsRiskClass }, w.after, w.scanGroups);
      w.queue.push(...groups);
      if (groups.length < w.scanGroups) w.scanDone = true;
      else w.after = groups[groups.length - 1]!;
    } else if (w.listedNext < w.listed.length) {
      const slice = w.listed.slice(w.listedNext, w.listedNext + size);
      w.listedNext += slice.length;
      w.queue.push(...(await countsOverThreshold(tx, q, { rows: sql`i.enterprise_code = ANY(${list(slice)})`, rules: sql`TRUE` })));
    } else break;
  }
  return w.queue.splice(0, limit);
}
