import { buildApp } from '../src/app.js';
import { generateDevKey, signDevToken } from '../src/auth/dev-key.js';
import { generateKeyring } from '../src/codes/keyring.js';
import { openDatabase } from '../src/db/client.js';
import { benchWorld } from './lib/world.js';
import pg from 'pg';
import { benchClock, benchConfig } from './lib/bench-config.js';

/**
 * Latency of one code issuance at a time (no concurrency): the round-trip cost of the guarded transaction,
 * and how many round trips it makes — every query the pg client sends, BEGIN/COMMIT included (node-postgres
 * sends one query and waits for its answer before the next, so a query is a round trip; a statement with
 * CTEs is one). PROBE_N requests; PROBE_LIST=1 prints the statements of the second issuance (the first
 * warms the app up). Beside it, the same sequence of bare transactions (BEGIN, four row writes, COMMIT: six
 * round trips, no HTTP, guards, signature or audit) on the same database, and the ratio of the two rates.
 * PROBE_DB names the database it drops and creates (default wh327_probe), so two sessions can probe at once.
 */
let statements = 0;
let listing = false;
const listed: string[] = [];
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  if (listing) listed.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text).replace(/\s+/g, ' ').slice(0, 160));
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;
// PROBE_DB: another database name, so probes run by several people on one server do not drop each other's.
const probeDb = process.env.PROBE_DB ?? 'wh327_probe';
if (!/^[a-z_][a-z0-9_]*$/.test(probeDb)) throw new Error('PROBE_DB must be a plain lower-case identifier');
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${probeDb} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${probeDb}`);
await admin.end();
const database = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${probeDb}` });
await database.migrate();
const devKey = generateDevKey();
const app = await buildApp(benchConfig(), { database, clock: benchClock, devKey, keyring: generateKeyring('p'), logger: false });
const w = await benchWorld(database.db, 300, '7');
const headers = { authorization: `Bearer ${signDevToken(devKey, { sub: 'o', role: 'officer', agency: w.agency })}` };
const times: number[] = [];
const before = statements;
const n = Number(process.env.PROBE_N ?? 200);
const cpu0 = process.cpuUsage();
for (const [k, id] of w.ids.slice(0, n).entries()) {
  listing = process.env.PROBE_LIST === '1' && k === 1;
  const t0 = performance.now();
  const r = await app.inject({ method: 'POST', url: `/api/v1/inspections/${id}/code`, headers });
  times.push(performance.now() - t0);
  if (r.statusCode !== 201) console.log(r.statusCode, r.body.slice(0, 200));
}
const cpu = process.cpuUsage(cpu0);
listing = false;
listed.forEach((text, k) => console.log(k + 1, text));
const perIssue = (statements - before) / n;
const issueMs = times.reduce((a, b) => a + b, 0) / n;
times.sort((a, b) => a - b);
console.log(`issue sequential: p50 ${times[Math.floor(n / 2)]!.toFixed(1)} ms, p90 ${times[Math.floor(n * 0.9)]!.toFixed(1)} ms, ${perIssue.toFixed(1)} round trips per issuance; this process's CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms per issuance`);
await app.close();
await database.close();

// The bare transaction, one at a time on one connection, as many times.
const bare = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${probeDb}` });
await bare.connect();
await bare.query('CREATE TABLE IF NOT EXISTS bench_a (id bigserial primary key, v text); CREATE TABLE IF NOT EXISTS bench_b (id int primary key, v int); INSERT INTO bench_b SELECT g, 0 FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING');
const t0 = performance.now();
for (let k = 0; k < n; k++) {
  await bare.query('BEGIN');
  await bare.query('INSERT INTO bench_a (v) VALUES ($1)', ['code']);
  await bare.query('UPDATE bench_b SET v = v + 1 WHERE id = $1', [k % 1000]);
  await bare.query('INSERT INTO bench_a (v) VALUES ($1)', ['audit']);
  await bare.query('INSERT INTO bench_a (v) VALUES ($1)', ['pending']);
  await bare.query('COMMIT');
}
const bareMs = (performance.now() - t0) / n;
await bare.end();
console.log(`bare transaction sequential (6 round trips): ${bareMs.toFixed(2)} ms; issuance ${issueMs.toFixed(2)} ms mean: ratio ${(bareMs / issueMs).toFixed(3)} of a bare transaction's rate`);
