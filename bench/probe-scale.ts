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
const { values } = parseArgs({ options: { ops: { type: 'string', default: '' }, 'no-sweep': { type: 'boolean', default: false }, 'ratio-one': { type: 'boolean', default: false }, n: { type: 'string', default: '50' }, 'explain-ms': { type: 'string', default: '20' }, plans: { type: 'string', default: 'bench/scale-plans.log' }, log: { type: 'string', default: '/var/log/postgresql/postgresql-15-main.log' } } });
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
// n measured, plus one (index n) for the warm-up below.
const fresh = Array.from({ length: n + 1 }, (_, i) => makeCreditCode('limited_company', adminCodeOf(district), 70_000_000 + tag * 100 + i));
await database.db.insert(enterprises).values(fresh.map((code, i) => ({ creditCode: code, name: `规模探针企业${tag}-${i}有限公司`, districtCode: district, address: '探针路1号', entityType: 'limited_company', scope: 'in_scope' as const, riskClass: 'B' as const, createdAt: at }))).onConflictDoNothing();
const schemeIds = fresh.map(() => randomUUID());
await database.db.insert(inspections).values(
  fresh.map((code, i) => ({
    id: schemeIds[i]!, agencyCode: agency, enterpriseCode: code, kind: 'routine' as const, mode: 'onsite' as const, state: 'approved', matterCodes: [matter],
    windowStart: new Date('2026-12-08T01:00:00Z'), windowEnd: new Date('2026-12-08T09:00:00Z'), countedDate: '2026-12-08',
    inspectors: [{ name: '甲', certificateNo: '1' }, { name: '乙', certificateNo: '2' }], checklist: ['检查项目'], entityScope: 'in_scope', createdBy: 'probe', createdAt: at, updatedAt: at,
  })),
);
// --ratio-one: the seeded history fills the bureau's filed class items (every in-scope enterprise of the district
// visited), so every code is refused at the ratio; for the run the items' sampling ratio is 1, so the issuance is
// measured as a 201 with the writes after it, and the scans and findings have codes to work on. Put back at the end.
const ratios = values['ratio-one']
  ? (await admin.query<{ id: string; sampling_ratio: string }>(`UPDATE plan_items p SET sampling_ratio = 1 FROM plan_items old WHERE old.id = p.id AND p.target_kind = 'class' AND p.plan_id IN (SELECT id FROM plans WHERE agency_code = $1) RETURNING p.id, old.sampling_ratio`, [agency])).rows
  : [];
const someInspection = (await admin.query(`SELECT i.id, c.code FROM inspections i JOIN inspection_codes c ON c.inspection_id = i.id WHERE i.agency_code = $1 LIMIT 200`, [agency])).rows as { id: string; code: string }[];
await admin.end();

const figures: { op: string; n: number; p50: number; p99: number; max: number; statuses: string; cpuMs: number; nodeMs: number; pgMs: number }[] = [];
// `--ops issue,draft` measures only the operations whose label contains one of the words (all when empty).
const only = values.ops ? values.ops.split(',').map((w) => w.trim()).filter(Boolean) : [];
async function measure(op: string, count: number, req: (i: number) => { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; payload?: object }, onAnswer?: (i: number, status: number, body: any) => void) {
  if (only.length && !only.some((w) => op.includes(w))) return;
  if (count === 0) return console.log(`${op}: nothing to measure (the step before it produced no rows)`);
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
    if (onAnswer) onAnswer(i, res.statusCode, res.headers['content-type']?.toString().includes('json') ? res.json() : undefined);
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

// Warm-up, untimed: each route once, on the extra enterprise and scheme (index n). A fresh process compiles each
// route's validators and serializers and imports some modules on a route's first request (~100 ms of CPU for a
// draft); the figures below are a running server's, so that first request is not among them.
{
  const get = (url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url, headers });
  await app.inject({ method: 'GET', url: `/api/v1/codes/${someInspection[0]!.code}` });
  await get(`/api/v1/inspections/${someInspection[0]!.id}`, officer);
  await get(`/api/v1/inspections?agency=${agency}`, officer);
  const d = await app.inject({ method: 'POST', url: '/api/v1/inspections', headers: officer, payload: { agencyCode: agency, enterpriseCode: fresh[n]!, kind: 'routine', mode: 'onsite', matterCodes: [matter], windowStart: '2026-12-10T09:00:00+08:00', windowEnd: '2026-12-10T17:00:00+08:00', inspectors: [{ name: '王晓明', certificateNo: '1' }, { name: '陈丽华', certificateNo: '2' }], checklist: ['检查项目'] } });
  const warmId = d.statusCode === 201 ? d.json().inspection.id : undefined;
  if (warmId) await app.inject({ method: 'POST', url: `/api/v1/inspections/${warmId}/approve`, headers: token({ sub: `head:${agency}`, role: 'agency_head', agency }), payload: {} });
  const c = await app.inject({ method: 'POST', url: `/api/v1/inspections/${schemeIds[n]}/code`, headers: officer });
  clock.set('2026-12-08T10:00:00+08:00');
  if (c.statusCode === 201) {
    await app.inject({ method: 'POST', url: `/api/v1/codes/${c.json().code}/scan`, headers: token({ sub: `enterprise:${fresh[n]}`, role: 'enterprise', creditCode: fresh[n]! }), payload: {} });
    await app.inject({ method: 'POST', url: `/api/v1/inspections/${schemeIds[n]}/findings`, headers: officer, payload: { methods: ['documents'], items: [{ item: '检查项目', result: 'compliant' }], outcome: { kind: 'no_violation' } } });
  }
  clock.set('2026-12-07T09:00:00+08:00');
  await get('/api/v1/inspections', token({ sub: `enterprise:${fresh[n]}`, role: 'enterprise', creditCode: fresh[n]! }));
  await get(`/api/v1/enterprises/${fresh[n]}/frequency?agency=${agency}&matter=${matter}`, officer);
  for (const h of [officer, supervisor]) await get('/api/v1/me/todo', h);
  await get('/api/v1/flags', supervisor);
  await get('/api/v1/audit', supervisor);
  await get('/api/v1/stats/dashboard?year=2026', supervisor);
}

const m = Math.min(100, someInspection.length);
await measure('public check GET /codes/{code}', m, (i) => ({ method: 'GET', url: `/api/v1/codes/${someInspection[i % m]!.code}` }));
await measure('inspection GET /inspections/{id}', m, (i) => ({ method: 'GET', url: `/api/v1/inspections/${someInspection[i % m]!.id}`, headers: officer }));
await measure('list GET /inspections?agency (first page)', 20, () => ({ method: 'GET', url: `/api/v1/inspections?agency=${agency}`, headers: officer }));
await measure('enterprise history GET /inspections?enterprise', 20, (i) => ({ method: 'GET', url: `/api/v1/inspections?enterprise=${fresh[i % n]}`, headers: officer }));
const drafted: string[] = [];
await measure('draft POST /inspections (pre-check)', Math.min(n, 50), (i) => ({
  method: 'POST', url: '/api/v1/inspections', headers: officer,
  payload: { agencyCode: agency, enterpriseCode: fresh[i]!, kind: 'routine', mode: 'onsite', matterCodes: [matter], windowStart: '2026-12-09T09:00:00+08:00', windowEnd: '2026-12-09T17:00:00+08:00', inspectors: [{ name: '王晓明', certificateNo: '1' }, { name: '陈丽华', certificateNo: '2' }], checklist: ['检查项目'] },
}), (_i, status, body) => { if (status === 201 && body?.inspection?.id) drafted.push(body.inspection.id); });
const head = token({ sub: `head:${agency}`, role: 'agency_head', agency });
await measure('approve POST /inspections/{id}/approve', drafted.length, (i) => ({ method: 'POST', url: `/api/v1/inspections/${drafted[i]}/approve`, headers: head, payload: {} }));
const issued: { i: number; code: string }[] = [];
await measure('issue code POST /inspections/{id}/code', n, (i) => ({ method: 'POST', url: `/api/v1/inspections/${schemeIds[i]}/code`, headers: officer }), (i, status, body) => { if (status === 201 && body?.code) issued.push({ i, code: body.code }); });
// The visit day of the issued codes (8 December, 09:00–17:00 Beijing time): the enterprise scans the officers'
// code on entry, the officers record findings.
clock.set('2026-12-08T10:00:00+08:00');
const asEnterprise = (i: number) => token({ sub: `enterprise:${fresh[i]}`, role: 'enterprise', creditCode: fresh[i]! });
await measure('scan on entry POST /codes/{code}/scan', issued.length, (k) => ({ method: 'POST', url: `/api/v1/codes/${issued[k]!.code}/scan`, headers: asEnterprise(issued[k]!.i), payload: {} }));
await measure('record findings POST /inspections/{id}/findings', issued.length, (k) => ({
  method: 'POST', url: `/api/v1/inspections/${schemeIds[issued[k]!.i]}/findings`, headers: officer,
  payload: { methods: ['documents', 'site_survey'], items: [{ item: '检查项目', result: 'compliant' }], outcome: { kind: 'no_violation' } },
}));
await measure("enterprise's own list GET /inspections (enterprise)", 20, (i) => ({ method: 'GET', url: '/api/v1/inspections', headers: asEnterprise(i % n) }));
await measure('frequency GET /enterprises/{creditCode}/frequency', 20, (i) => ({ method: 'GET', url: `/api/v1/enterprises/${fresh[i % n]}/frequency?agency=${agency}&matter=${matter}`, headers: officer }));
await measure("officer's to-do GET /me/todo", 20, () => ({ method: 'GET', url: '/api/v1/me/todo', headers: officer }));
await measure("head's to-do GET /me/todo", 20, () => ({ method: 'GET', url: '/api/v1/me/todo', headers: head }));
await measure("supervisor's to-do GET /me/todo", 20, () => ({ method: 'GET', url: '/api/v1/me/todo', headers: supervisor }));
await measure('flags GET /flags (district supervisor)', 20, () => ({ method: 'GET', url: '/api/v1/flags', headers: supervisor }));
await measure('audit log GET /audit (district supervisor)', 20, () => ({ method: 'GET', url: '/api/v1/audit', headers: supervisor }));
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
for (const r of ratios) await reset.query('UPDATE plan_items SET sampling_ratio = $2 WHERE id = $1', [r.id, r.sampling_ratio]);
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
