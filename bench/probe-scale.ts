import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { generateDevKey, signDevToken } from '../src/auth/dev-key.js';
import type { Principal } from '../src/auth/principal.js';
import { generateKeyring } from '../src/codes/keyring.js';
import { enterprises, inspections } from '../src/db/schema/index.js';
import { openDatabase } from '../src/db/client.js';
import { runSweep } from '../src/sweeper/run.js';
import { ManualClock } from '../src/time/clock.js';
import { makeCreditCode } from '../seeds/credit-codes.js';
import { MATTER_CATALOG } from '../seeds/matter-catalog.js';
import { adminCodeOf } from '../seeds/wuhan-districts.js';
import { benchConfig } from './lib/bench-config.js';
import { backendCpuSeconds, cpuSince } from './lib/backend-cpu.js';
import { percentile } from './replay/stats.js';

/**
 * The user-facing operations of the largest bureau on a database seeded by `npm run seed:scale` (10 M
 * inspections), each through the API (app.inject), sequentially, with the plan of every statement over
 * `--explain-ms` captured by auto_explain (ANALYZE, BUFFERS) from the server log into `--plans`:
 *   DATABASE_URL=postgres://…/wh327_scale npx tsx bench/probe-scale.ts [--n 50] [--plans bench/scale-plans.log]
 * The bureau's new schemes are inserted directly, approved, at enterprises with no history (so the caps pass
 * and the sampling-ratio count is what the issuance pays). Nothing is removed afterwards: each run adds its
 * schemes under fresh credit codes.
 */
const { values } = parseArgs({ options: { ops: { type: 'string', default: '' }, 'no-sweep': { type: 'boolean', default: false }, n: { type: 'string', default: '50' }, 'explain-ms': { type: 'string', default: '20' }, plans: { type: 'string', default: 'bench/scale-plans.log' }, log: { type: 'string', default: '/var/log/postgresql/postgresql-15-main.log' } } });
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL=postgres://… of a database seeded by npm run seed:scale');
const n = Number(values.n);
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const dbName = new URL(url).pathname.slice(1);
const total = Number((await admin.query('SELECT count(*) AS n FROM inspections')).rows[0].n);
const { rows: [largest] } = await admin.query<{ agency_code: string; n: string }>(`SELECT agency_code, count(*) AS n FROM inspections GROUP BY 1 ORDER BY 2 DESC LIMIT 1`);
const agency = largest!.agency_code;
const district = agency.split('-')[0]!;
console.log(`${total.toLocaleString('en-US')} inspections; largest bureau ${agency} with ${Number(largest!.n).toLocaleString('en-US')}`);
// auto_explain for the app's sessions opened from here on (the settings are the database's; reset at the end).
for (const s of [`session_preload_libraries = 'auto_explain'`, `auto_explain.log_min_duration = '${values['explain-ms']}ms'`, 'auto_explain.log_analyze = on', 'auto_explain.log_buffers = on', 'auto_explain.log_nested_statements = on']) {
  await admin.query(`ALTER DATABASE ${dbName} SET ${s}`);
}
const logStart = (() => {
  try {
    return statSync(values.log!).size;
  } catch {
    return -1;
  }
})();

const database = await openDatabase({ url, applicationName: 'wh327-probe-scale' });
const clock = new ManualClock('2026-12-07T09:00:00+08:00');
const devKey = generateDevKey();
const app = await buildApp(benchConfig(), { database, clock, devKey, keyring: generateKeyring(), logger: false });
await app.ready();
const token = (p: Principal) => ({ authorization: `Bearer ${signDevToken(devKey, p)}` });
const officer = token({ sub: `officer:${agency}`, role: 'officer', agency });
const supervisor = token({ sub: `supervisor:${district}-SFJ`, role: 'supervisor', agency: `${district}-SFJ`, district });
const citySupervisor = token({ sub: 'supervisor:WH-SFJ', role: 'supervisor', agency: 'WH-SFJ' });

// n fresh enterprises in the bureau's district, each with an approved scheme of the bureau on 8 December.
const tag = Date.now() % 1_000_000;
const at = new Date('2026-12-01T01:00:00Z');
const matter = MATTER_CATALOG.SCJG![0]!.matterCode;
const fresh = Array.from({ length: n }, (_, i) => makeCreditCode('limited_company', adminCodeOf(district), 70_000_000 + tag * 100 + i));
await database.db.insert(enterprises).values(fresh.map((code, i) => ({ creditCode: code, name: `规模探针企业${tag}-${i}有限公司`, districtCode: district, address: '探针路1号', entityType: 'limited_company', scope: 'in_scope' as const, riskClass: 'B' as const, createdAt: at }))).onConflictDoNothing();
const schemeIds = fresh.map(() => randomUUID());
await database.db.insert(inspections).values(
  fresh.map((code, i) => ({
    id: schemeIds[i]!, agencyCode: agency, enterpriseCode: code, kind: 'routine' as const, mode: 'onsite' as const, state: 'approved', matterCodes: [matter],
    windowStart: new Date('2026-12-08T01:00:00Z'), windowEnd: new Date('2026-12-08T09:00:00Z'), countedDate: '2026-12-08',
    inspectors: [{ name: '甲', certificateNo: '1' }, { name: '乙', certificateNo: '2' }], checklist: ['检查项目'], entityScope: 'in_scope', createdBy: 'probe', createdAt: at, updatedAt: at,
  })),
);
const someInspection = (await admin.query(`SELECT i.id, c.code FROM inspections i JOIN inspection_codes c ON c.inspection_id = i.id WHERE i.agency_code = $1 LIMIT 200`, [agency])).rows as { id: string; code: string }[];
await admin.end();

const figures: { op: string; n: number; p50: number; p99: number; max: number; statuses: string; cpuMs: number; nodeMs: number; pgMs: number }[] = [];
// `--ops issue,draft` measures only the operations whose label contains one of the words (all when empty).
const only = values.ops ? values.ops.split(',').map((w) => w.trim()).filter(Boolean) : [];
async function measure(op: string, count: number, req: (i: number) => { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; payload?: object }) {
  if (only.length && !only.some((w) => op.includes(w))) return;
  const times: number[] = [];
  const statuses = new Map<string, number>();
  // CPU of this process and of the app's PostgreSQL backends over the whole sequence: with one request at a
  // time, their sum per request is what a request costs, whatever else the machine runs.
  const pg0 = await backendCpuSeconds(url!);
  const node0 = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    const res = await app.inject(req(i));
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const key = res.statusCode >= 400 ? `${res.statusCode} ${res.json().rule ?? res.json().code}` : String(res.statusCode);
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }
  const node = process.cpuUsage(node0);
  const pgMs = (cpuSince(pg0, await backendCpuSeconds(url!)) * 1000) / count;
  const nodeMs = (node.user + node.system) / 1000 / count;
  times.sort((a, b) => a - b);
  const f = { op, n: count, p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1]!, statuses: [...statuses].map(([k, v]) => `${v}× ${k}`).join(', '), cpuMs: nodeMs + pgMs, nodeMs, pgMs };
  figures.push(f);
  console.log(`${op}: n ${f.n}, wall p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(1)} ms (${f.statuses}); CPU per request ${f.cpuMs.toFixed(2)} ms (Node ${nodeMs.toFixed(2)}, PostgreSQL ${pgMs.toFixed(2)}); load ${loadavg()[0]!.toFixed(1)}`);
}

const m = Math.min(100, someInspection.length);
await measure('public check GET /codes/{code}', m, (i) => ({ method: 'GET', url: `/api/v1/codes/${someInspection[i % m]!.code}` }));
await measure('inspection GET /inspections/{id}', m, (i) => ({ method: 'GET', url: `/api/v1/inspections/${someInspection[i % m]!.id}`, headers: officer }));
await measure('list GET /inspections?agency (first page)', 20, () => ({ method: 'GET', url: `/api/v1/inspections?agency=${agency}`, headers: officer }));
await measure('enterprise history GET /inspections?enterprise', 20, (i) => ({ method: 'GET', url: `/api/v1/inspections?enterprise=${fresh[i % n]}`, headers: officer }));
await measure('draft POST /inspections (pre-check)', Math.min(n, 10), (i) => ({
  method: 'POST', url: '/api/v1/inspections', headers: officer,
  payload: { agencyCode: agency, enterpriseCode: fresh[i]!, kind: 'routine', mode: 'onsite', matterCodes: [matter], windowStart: '2026-12-09T09:00:00+08:00', windowEnd: '2026-12-09T17:00:00+08:00', inspectors: [{ name: '王晓明', certificateNo: '1' }, { name: '陈丽华', certificateNo: '2' }], checklist: ['检查项目'] },
}));
await measure('issue code POST /inspections/{id}/code', n, (i) => ({ method: 'POST', url: `/api/v1/inspections/${schemeIds[i]}/code`, headers: officer }));
await measure('dashboard GET /stats/dashboard (district supervisor)', 5, () => ({ method: 'GET', url: '/api/v1/stats/dashboard?year=2026', headers: supervisor }));
await measure('dashboard GET /stats/dashboard (city supervisor)', 3, () => ({ method: 'GET', url: '/api/v1/stats/dashboard?year=2026', headers: citySupervisor }));
let sweepMs = 0;
let sweepCpu = 0;
if (!values['no-sweep']) {
  const sweepPg0 = await backendCpuSeconds(url);
  const sweepNode0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const report = await runSweep(database.db, clock);
  sweepMs = Number(process.hrtime.bigint() - t0) / 1e6;
  sweepCpu = cpuSince(sweepPg0, await backendCpuSeconds(url)) + ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(sweepNode0));
  console.log(`sweeper pass CPU: ${sweepCpu.toFixed(1)} s (Node + PostgreSQL)`);
  console.log(`sweeper pass: ${(sweepMs / 1000).toFixed(1)} s, ${report.reduce((s, j) => s + j.count, 0)} flags raised; slowest jobs: ${[...report].sort((a, b) => b.count - a.count).slice(0, 3).map((j) => `${j.job} ${j.count}`).join(', ')}${report.some((j) => j.error) ? `; errors: ${report.filter((j) => j.error).map((j) => `${j.job}: ${j.error}`).join('; ')}` : ''}`);
}
await app.close();
await database.close();

const reset = new pg.Client({ connectionString: url });
await reset.connect();
for (const s of ['session_preload_libraries', 'auto_explain.log_min_duration', 'auto_explain.log_analyze', 'auto_explain.log_buffers', 'auto_explain.log_nested_statements']) await reset.query(`ALTER DATABASE ${dbName} RESET ${s}`);
await reset.end();
if (logStart >= 0) {
  const size = statSync(values.log!).size - logStart;
  const buf = Buffer.alloc(size);
  const fd = openSync(values.log!, 'r');
  readSync(fd, buf, 0, size, logStart);
  closeSync(fd);
  writeFileSync(values.plans!, buf.toString('utf8'));
  console.log(`plans of statements over ${values['explain-ms']} ms: ${values.plans} (${(size / 1024).toFixed(0)} KiB)`);
}
writeFileSync(join(tmpdir(), 'wh327-scale-last-run.json'), JSON.stringify({ total, agency, bureauRows: Number(largest!.n), figures, sweepMs, sweepCpu, load: loadavg() }, null, 2));
