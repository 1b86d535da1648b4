import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openConfiguredDatabase } from '../src/boot.js';
import { loadConfig } from '../src/config/config.js';
import { scanSettings, scanStatement, type ThresholdQuery } from '../src/sweeper/counts-over-threshold.js';
import { rowsOf } from '../src/sweeper/job.js';
import { sinceLastYear } from '../src/sweeper/jobs/frequency-flags.js';
import { shanghaiDate } from '../src/time/shanghai-date.js';

/**
 * The frequency detectors' full scan (src/sweeper/counts-over-threshold.ts scanStatement) on its own, with the
 * settings the sweeper gives it, timed or explained (docs/BENCHMARKS.md, "Sweeper pass at 10 M"):
 *   DATABASE_URL=postgres://…/db npx tsx bench/probe-scan.ts [--job cap|case] [--rules all|<id>,<id>]
 *     [--limit 100000|none] [--explain] [--today YYYY-MM-DD]
 * --limit none finds every group over its threshold in one statement (what a walk finding millions would spread
 * over its continued scans); --explain prints EXPLAIN (ANALYZE, BUFFERS) instead of the time. Read-only: the
 * statement runs in a transaction that is rolled back.
 */
const { values } = parseArgs({
  options: {
    job: { type: 'string', default: 'cap' },
    rules: { type: 'string', default: 'all' },
    limit: { type: 'string', default: '100000' },
    explain: { type: 'boolean', default: false },
    today: { type: 'string' },
    set: { type: 'string', multiple: true },
  },
});
const config = loadConfig();
const database = await openConfiguredDatabase(config);
const today = values.today ?? shanghaiDate(new Date());
const cap = values.job === 'cap';
const q: ThresholdQuery = cap
  ? { kind: 'cap', rule: 'FREQUENCY_CAP', counts: 'toward_cap', since: sinceLastYear(today) }
  : { kind: 'case_anomaly', rule: 'CASE_FREQUENCY_ANOMALY', counts: 'case', since: sinceLastYear(today) };
const ids = values.rules === 'all' ? null : values.rules.split(',');
const rules = ids === null ? sql`TRUE` : sql`r.id::text = ANY(${`{${ids.join(',')}}`}::text[])`;
const limit = values.limit === 'none' ? null : Number(values.limit);
console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const rollback = new Error('rollback');
await database.db
  .transaction(async (tx) => {
    const [graded] = await rowsOf<{ graded: boolean }>(
      tx,
      sql`SELECT EXISTS (SELECT 1 FROM frequency_rules r WHERE r.kind = ${q.kind} AND r.risk_class IS NOT NULL AND ${rules}) AS graded`,
    );
    await tx.execute(scanSettings());
    // Settings to try beside the sweeper's (--set name=value, repeatable).
    for (const kv of values.set ?? []) {
      const [name, value] = kv.split('=');
      await tx.execute(sql`SELECT set_config(${name}, ${value}, true)`);
    }
    const statement = scanStatement(q, { rules, needsRiskClass: graded!.graded }, null, limit);
    const t0 = Date.now();
    if (values.explain) {
      const plan = await rowsOf<{ 'QUERY PLAN': string }>(tx, sql`EXPLAIN (ANALYZE, BUFFERS) ${statement}`);
      console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
    } else {
      const [row] = await rowsOf<{ n: string }>(tx, sql`SELECT count(*) AS n FROM (${statement}) s`);
      console.log(`groups over their threshold, not yet flagged: ${row!.n}`);
    }
    console.log(`${values.job} scan (rules ${values.rules}, limit ${values.limit}): ${((Date.now() - t0) / 1000).toFixed(1)} s; load average at end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    throw rollback;
  })
  .catch((err: unknown) => {
    if (err !== rollback) throw err;
  });
await database.close();
