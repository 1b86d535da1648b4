import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { generateDevKey, signDevToken } from '../src/auth/dev-key.js';
import type { Principal } from '../src/auth/principal.js';
import { generateKeyring } from '../src/codes/keyring.js';
import { openDatabase } from '../src/db/client.js';
import { ManualClock } from '../src/time/clock.js';
import { benchConfig } from './lib/bench-config.js';
import { backendCpuSeconds, cpuSince } from './lib/backend-cpu.js';
import { percentile } from './replay/stats.js';

/**
 * The supervisors' dashboard at scale (issue 27 item 2: ≤ 1 s), on a database seeded by `npm run seed:scale` and
 * migrated with dashboard_counts:
 *   DATABASE_URL=postgres://…/wh327_dash npx tsx bench/probe-dashboard.ts [--n 10] [--plans /tmp/wh327-dashboard-plans.log] [--now <ISO time>]
 * (--now: the clock; the scan-rate card reads the rows of the windows opened that day, so a day with many codes is the
 * heavier case)
 * For the district with most inspections in the year and for the city: wall time and CPU per request (this process
 * plus the app's PostgreSQL backends, bench/lib/backend-cpu.ts), one request at a time; the connections the app
 * held during a dashboard (the pool's high-water mark); then every statement one dashboard sent, re-run under
 * EXPLAIN (ANALYZE, BUFFERS) with its parameters, into --plans. Reads only.
 */
const { values } = parseArgs({ options: { n: { type: 'string', default: '10' }, year: { type: 'string', default: '2026' }, plans: { type: 'string', default: join(tmpdir(), 'wh327-dashboard-plans.log') }, now: { type: 'string', default: '2026-12-07T09:00:00+08:00' } } });
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL=postgres://… of a database seeded by npm run seed:scale');
const n = Number(values.n);
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const { rows: [top] } = await admin.query<{ district_code: string; n: string }>(
  `SELECT a.district_code, sum(c.inspections) AS n FROM dashboard_counts c JOIN agencies a ON a.code = c.agency_code
    WHERE c.counted_date BETWEEN $1 AND $2 AND a.district_code IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
  [`${values.year}-01-01`, `${values.year}-12-31`],
);
const { rows: [all] } = await admin.query<{ rows: string; n: string }>(`SELECT count(*) AS rows, sum(inspections) AS n FROM dashboard_counts WHERE counted_date BETWEEN $1 AND $2`, [`${values.year}-01-01`, `${values.year}-12-31`]);
const district = top!.district_code;
console.log(`year ${values.year}: ${Number(all!.n).toLocaleString('en-US')} inspections counted in ${Number(all!.rows).toLocaleString('en-US')} dashboard_counts rows; largest district ${district} with ${Number(top!.n).toLocaleString('en-US')}`);

// Every statement the app sends, with its parameters, and how many of the pool's connections are checked out.
const sent: { text: string; values: unknown[] }[] = [];
let recording = false;
const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
  const q = a[0] as string | { text: string; values?: unknown[] };
  if (recording) sent.push(typeof q === 'string' ? { text: q, values: (a[1] as unknown[]) ?? [] } : { text: q.text, values: q.values ?? (a[1] as unknown[]) ?? [] });
  return query.apply(this, a);
} as typeof pg.Client.prototype.query;
let checkedOut = 0;
let highWater = 0;
// pg-pool emits 'acquire' and 'release' on every check-out and return, whichever way connect was called.
const emit = pg.Pool.prototype.emit;
pg.Pool.prototype.emit = function (this: pg.Pool, event: string | symbol, ...a: unknown[]) {
  if (event === 'acquire') highWater = Math.max(highWater, ++checkedOut);
  if (event === 'release') checkedOut--;
  return emit.call(this, event, ...a);
} as typeof pg.Pool.prototype.emit;

const database = await openDatabase({ url, applicationName: 'wh327-probe-dashboard' });
const clock = new ManualClock(values.now!);
const devKey = generateDevKey();
const app = await buildApp(benchConfig(), { database, clock, devKey, keyring: generateKeyring(), logger: false });
await app.ready();
const token = (p: Principal) => ({ authorization: `Bearer ${signDevToken(devKey, p)}` });
const who = {
  [`district supervisor (${district})`]: token({ sub: `supervisor:${district}-SFJ`, role: 'supervisor', agency: `${district}-SFJ`, district }),
  'city supervisor': token({ sub: 'supervisor:WH-SFJ', role: 'supervisor', agency: 'WH-SFJ' }),
};

const figures: Record<string, unknown>[] = [];
for (const [role, headers] of Object.entries(who)) {
  const times: number[] = [];
  const statuses = new Set<number>();
  highWater = 0;
  const pg0 = await backendCpuSeconds(url);
  const node0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const res = await app.inject({ method: 'GET', url: `/api/v1/stats/dashboard?year=${values.year}`, headers });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    statuses.add(res.statusCode);
  }
  const node = process.cpuUsage(node0);
  const pgMs = (cpuSince(pg0, await backendCpuSeconds(url)) * 1000) / n;
  const nodeMs = (node.user + node.system) / 1000 / n;
  times.sort((a, b) => a - b);
  const f = { role, n, p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1]!, statuses: [...statuses], cpuMs: nodeMs + pgMs, nodeMs, pgMs, connections: highWater, load: loadavg()[0] };
  figures.push(f);
  console.log(`dashboard, ${role}: n ${n}, wall p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(1)} ms (${f.statuses.join(', ')}); CPU per request ${f.cpuMs.toFixed(1)} ms (Node ${nodeMs.toFixed(1)}, PostgreSQL ${pgMs.toFixed(1)}); pool connections held at once: ${highWater}; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

// The plans: one dashboard of each, every statement it sent, re-run under EXPLAIN ANALYZE in the same order.
const out: string[] = [];
for (const [role, headers] of Object.entries(who)) {
  sent.length = 0;
  recording = true;
  await app.inject({ method: 'GET', url: `/api/v1/stats/dashboard?year=${values.year}`, headers });
  recording = false;
  for (const s of sent) {
    if (!/^\s*(select|with)/i.test(s.text)) continue;
    const { rows } = await admin.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.values);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const ms = Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN);
    out.push(`### ${role}: ${ms} ms\n${s.text}\n-- ${JSON.stringify(s.values)}\n${plan}\n`);
    console.log(`  ${role}: ${ms.toFixed(2).padStart(9)} ms  ${s.text.replace(/\s+/g, ' ').slice(0, 110)}`);
  }
}
writeFileSync(values.plans!, out.join('\n'));
console.log(`plans: ${values.plans}`);
await app.close();
await database.close();
await admin.end();
