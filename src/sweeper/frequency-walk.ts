import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { countsOverThreshold, type OverThreshold, type ThresholdQuery } from './counts-over-threshold.js';
import type { PassScope } from './frequency-watermark.js';
import { rowsOf } from './job.js';

/**
 * Enterprises per candidate statement, per group a batch flags (2,000 for the default batch of 500). A
 * statement over a range of enterprises reads their rows through inspections_enterprise_date_idx, so its cost
 * and the groups it returns stay bounded whatever the table's size (at 10 M rows, ~20 k inspections), and a
 * full pass is a walk over the table in enterprise order, never one aggregation of the whole year (which did
 * not return in 7 minutes, docs/BENCHMARKS.md, plan F).
 */
const ENTERPRISES_PER_GROUP = 4;
/** Statements a batch may run before it hands back, so that a walk finding nothing keeps its transactions short. */
const STATEMENTS_PER_BATCH = 10;

/**
 * One pass's walk over its candidate groups. What the pass must look at (src/sweeper/frequency-watermark.ts):
 *   - wide: every threshold (the job never completed a pass), the thresholds changed since, and the
 *     domain-scoped thresholds of agencies whose matter lists changed — each over every enterprise, so the
 *     walk goes through all enterprises in ranges (ENTERPRISES_PER_GROUP);
 *   - listed: every threshold over the enterprises whose counted inspections or risk class changed, in slices.
 * Nothing else can push a group over its threshold: the count reads only those rows, and the passing of time
 * changes no count (docs/ARCHITECTURE.md, "The sweeper's frequency passes"). A group both wide and listed may
 * be looked at twice; the flag's unique occurrence makes the second a no-op.
 */
export interface FrequencyWalk {
  scope: PassScope;
  wide: SQL | null;
  /** The last enterprise code of the ranges walked so far (null: none yet). */
  after: string | null;
  wideDone: boolean;
  listed: string[];
  listedNext: number;
  queue: OverThreshold[];
}

// Credit codes, agency codes and ids are plain ASCII without commas or quotes: one array literal each.
const list = (values: readonly string[]) => sql`${`{${values.join(',')}}`}::text[]`;

export function newWalk(scope: PassScope): FrequencyWalk {
  const wide: SQL[] = [];
  if (!scope.incremental) wide.push(sql`TRUE`);
  else {
    if (scope.rules.length > 0) wide.push(sql`r.id::text = ANY(${list(scope.rules)})`);
    if (scope.agencies.length > 0) wide.push(sql`(r.scope_kind = 'domain' AND i.agency_code = ANY(${list(scope.agencies)}))`);
  }
  return {
    scope,
    wide: wide.length > 0 ? sql`(${sql.join(wide, sql` OR `)})` : null,
    after: null,
    wideDone: wide.length === 0,
    listed: !scope.incremental ? [] : [...scope.enterprises].sort(),
    listedNext: 0,
    queue: [],
  };
}

export const walked = (w: FrequencyWalk) => w.wideDone && w.listedNext >= w.listed.length && w.queue.length === 0;

/** The next range of enterprises, (after, upTo]; upTo null for the last, open-ended one. */
async function nextRange(tx: Db, after: string | null, size: number): Promise<string | null> {
  const [row] = await rowsOf<{ credit_code: string }>(
    tx,
    sql`SELECT credit_code FROM enterprises ${after === null ? sql`` : sql`WHERE credit_code > ${after}`}
         ORDER BY credit_code OFFSET ${size - 1} LIMIT 1`,
  );
  return row?.credit_code ?? null;
}

/** Up to `limit` groups, running candidate statements until it has them or has run its share for this batch. */
export async function nextGroups(tx: Db, q: ThresholdQuery, w: FrequencyWalk, limit: number): Promise<OverThreshold[]> {
  const size = limit * ENTERPRISES_PER_GROUP;
  for (let statements = 0; w.queue.length < limit && statements < STATEMENTS_PER_BATCH; statements++) {
    if (!w.wideDone) {
      const upTo = await nextRange(tx, w.after, size);
      const range = sql.join(
        [w.after === null ? sql`TRUE` : sql`i.enterprise_code > ${w.after}`, upTo === null ? sql`TRUE` : sql`i.enterprise_code <= ${upTo}`],
        sql` AND `,
      );
      w.queue.push(...(await countsOverThreshold(tx, q, { rows: range, rules: w.wide! })));
      if (upTo === null) w.wideDone = true;
      else w.after = upTo;
    } else if (w.listedNext < w.listed.length) {
      const slice = w.listed.slice(w.listedNext, w.listedNext + size);
      w.listedNext += slice.length;
      w.queue.push(...(await countsOverThreshold(tx, q, { rows: sql`i.enterprise_code = ANY(${list(slice)})`, rules: sql`TRUE` })));
    } else break;
  }
  return w.queue.splice(0, limit);
}
