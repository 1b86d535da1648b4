import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp, loggerOptions } from '../src/app.js';
import { AccessLogController } from '../src/http/access-log.js';
import { sealPending } from '../src/audit/sealer.js';
import { verifyChain } from '../src/audit/verify.js';
import { generateDevKey, signDevToken } from '../src/auth/dev-key.js';
import { canonicalFacts, type CodeFacts } from '../src/codes/facts.js';
import { loadKeyring } from '../src/codes/keyring.js';
import { openDatabase } from '../src/db/client.js';
import { projectPath } from '../src/paths.js';
import { systemClock } from '../src/time/clock.js';
import { fmt, listen, load, opsPerSecond, type Row } from './lib/harness.js';
import { benchWorld } from './lib/world.js';
import { benchClock, benchConfig } from './lib/bench-config.js';
import { backendCpuSeconds, cpuSince } from './lib/backend-cpu.js';

/**
 * npm run bench — every figure beside a baseline measured in the same run, as a ratio (absolute numbers
 * drift on shared machines). PostgreSQL at BENCH_DATABASE_URL's server (default the local one); each run
 * uses a fresh database. Results go to docs/BENCHMARKS.md.
 */
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, 'audit-entries': { type: 'string', default: '200000' }, large: { type: 'string' } } });
const seconds = Number(values.seconds);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dbUrl = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();

async function freshDatabase(name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const database = await openDatabase({ url: dbUrl(name) });
  await database.migrate();
  return database;
}

const rows: Row[] = [];
const notes: string[] = [];
const devKey = generateDevKey();
// The code keys in a keys folder, so the separate server process of the memory figure verifies the same codes.
const keysDir = mkdtempSync(join(tmpdir(), 'wh327-bench-keys-'));
writeFileSync(join(keysDir, 'bench.pem'), generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
writeFileSync(join(keysDir, 'active'), 'bench\n');
const keyring = loadKeyring({ keysDir, dataDir: keysDir, production: false });
const config = benchConfig();

// Both servers log as production does (info level, the access log's sampling) into /dev/null: the cost of
// writing the lines is counted, the lines are not kept.
const logSink = () => createWriteStream('/dev/null');
const benchLogger = () => loggerOptions({ ...config, logLevel: 'info' }, logSink());

const database = await freshDatabase('wh327_bench');
const app = await buildApp(config, { database, clock: benchClock, devKey, keyring, logger: benchLogger() });
const base = await listen(app);
const world = await benchWorld(database.db, 20_000, '1');
const officer = { authorization: `Bearer ${signDevToken(devKey, { sub: 'officer:bench', role: 'officer', agency: world.agency })}` };

// 1. Public code check vs a bare Fastify route returning a body of the same size.
const first = await fetch(`${base}/api/v1/inspections/${world.ids[0]}/code`, { method: 'POST', headers: officer });
const issued = (await first.json()) as { code: string; kid: string; signature: string };
const checkPath = `/api/v1/codes/${issued.code}?k=${issued.kid}&s=${issued.signature}`;
const checkRes = await fetch(base + checkPath);
const checkBody = await checkRes.text();
// The baseline does the same hook work without the engine: the same logger and access-log sampling, and the
// same response headers (security headers, cache control, rate-limit counters) set by one onSend hook.
const PER_RESPONSE = new Set(['date', 'connection', 'keep-alive', 'content-length', 'content-type', 'x-request-id', 'transfer-encoding']);
const sameHeaders = [...checkRes.headers].filter(([k]) => !PER_RESPONSE.has(k));
const bare = Fastify({ logger: benchLogger(), logController: new AccessLogController(config) });
const payload = JSON.parse(checkBody);
bare.addHook('onSend', async (_req, reply) => {
  for (const [k, v] of sameHeaders) reply.header(k, v);
});
bare.get('/x', async () => payload);
const bareBase = await listen(bare);
const bareLoad = await load(`${bareBase}/x`, { seconds });
const checkLoad = await load(base + checkPath, { seconds });
await bare.close();
rows.push({ figure: 'public code check (GET /api/v1/codes/{code}), req/s', value: fmt(checkLoad.rps), baseline: `${fmt(bareLoad.rps)} (bare Fastify, same ${checkBody.length}-byte body, logger and ${sameHeaders.length} headers)`, ratio: (checkLoad.rps / bareLoad.rps).toFixed(2), target: '≥ 0.50', met: checkLoad.rps / bareLoad.rps >= 0.5 ? 'yes' : 'no' });
// Memory: the API alone in a process of its own (bench/lib/check-server.ts) under the same load; its peak
// resident set (VmHWM) is read from /proc once the load ends.
const server = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/check-server.ts'], { cwd: projectPath(), env: { ...process.env, BENCH_DB_URL: dbUrl('wh327_bench'), BENCH_KEYS_DIR: keysDir }, stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<string>((resolve) => server.stdout.setEncoding('utf8').once('data', (d: string) => resolve(d.trim())));
const separateLoad = await load(`http://127.0.0.1:${port}${checkPath}`, { seconds });
const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
server.kill();
const peakMiB = Math.round(kib('VmHWM') / 1024);
rows.push({ figure: 'server RSS under the public-check load (API in its own process, peak), MiB', value: fmt(peakMiB), baseline: `${fmt(separateLoad.rps)} req/s served; RSS at the end ${fmt(Math.round(kib('VmRSS') / 1024))} MiB`, ratio: '—', target: '≤ 250', met: peakMiB <= 250 ? 'yes' : 'no' });

// 2. Code issuance with every guard vs a bare pg transaction with the same number of row writes (4).
const issueLoad = await load(base, { seconds, method: 'POST', headers: officer, paths: world.ids.slice(1).map((id) => `/api/v1/inspections/${id}/code`) });
const pool = new pg.Pool({ connectionString: dbUrl('wh327_bench'), max: 10 });
await pool.query('CREATE TABLE IF NOT EXISTS bench_a (id bigserial primary key, v text); CREATE TABLE IF NOT EXISTS bench_b (id int primary key, v int); INSERT INTO bench_b SELECT g, 0 FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING');
let txs = 0;
const until = Date.now() + seconds * 1000;
await Promise.all(
  Array.from({ length: 10 }, async (_, c) => {
    const client = await pool.connect();
    while (Date.now() < until) {
      await client.query('BEGIN');
      await client.query('INSERT INTO bench_a (v) VALUES ($1)', ['code']);
      await client.query('UPDATE bench_b SET v = v + 1 WHERE id = $1', [(txs % 100) * 10 + c]);
      await client.query('INSERT INTO bench_a (v) VALUES ($1)', ['audit']);
      await client.query('INSERT INTO bench_a (v) VALUES ($1)', ['pending']);
      await client.query('COMMIT');
      txs++;
    }
    client.release();
  }),
);
await pool.end();
const bareTx = txs / seconds;
rows.push({ figure: 'code issuance with every guard (POST …/code), codes/s', value: fmt(issueLoad.rps), baseline: `${fmt(bareTx)} (bare pg tx, 4 row writes, 10 clients)`, ratio: (issueLoad.rps / bareTx).toFixed(2), target: '≥ 0.50', met: issueLoad.rps / bareTx >= 0.5 ? 'yes' : 'no' });
if (issueLoad.non2xx > 0) notes.push(`issuance load: ${issueLoad.non2xx} non-2xx answers (expected 0: every inspection is approved and under its cap)`);

// 3. Signature verification vs raw crypto.verify on the same bytes.
const facts: CodeFacts = { code: issued.code, inspectionId: world.ids[0]!, agencies: [world.agency], enterprise: '91420106MA00000000', matters: ['B-001'], kind: 'routine', validFrom: '2026-04-08T01:00:00.000Z', validTo: '2026-04-08T09:00:00.000Z', inspectorCount: 2 };
const signed = keyring.sign(facts);
const ours = opsPerSecond(() => keyring.verify(facts, signed.kid, signed.signature));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const bytes = Buffer.from(canonicalFacts(facts));
const raw = sign(null, bytes, privateKey);
const rawOnly = opsPerSecond(() => verify(null, bytes, publicKey, raw));
rows.push({ figure: 'signature verification (keyring.verify), ops/s', value: fmt(ours), baseline: `${fmt(rawOnly)} (raw crypto.verify)`, ratio: (ours / rawOnly).toFixed(2), target: 'report', met: '—' });

// 4. Audit chain verification.
const n = Number(values['audit-entries']);
await database.db.execute(sql.raw(`INSERT INTO audit_entries (occurred_at, actor, role, action, subject_type, subject_id, payload, payload_hash)
  SELECT now(), 'bench', 'officer', 'bench.entry', 'bench', g::text, '{}'::jsonb, '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' FROM generate_series(1, ${n}) g`));
await database.db.execute(sql.raw(`INSERT INTO audit_pending (entry_id) SELECT id FROM audit_entries WHERE action = 'bench.entry' ON CONFLICT DO NOTHING`));
await sealPending(database.db, systemClock);
const pg0 = await backendCpuSeconds(dbUrl('wh327_bench'));
const js0 = process.cpuUsage();
const started = process.hrtime.bigint();
const report = await verifyChain(database.db);
const secs = Number(process.hrtime.bigint() - started) / 1e9;
const jsCpu = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(js0));
const pgCpu = cpuSince(pg0, await backendCpuSeconds(dbUrl('wh327_bench')));
const eps = report.verified / secs;
rows.push({ figure: 'audit chain verification, entries/s', value: fmt(eps), baseline: `${fmt(report.verified)} entries in ${secs.toFixed(2)} s`, ratio: '—', target: '≥ 200,000', met: eps >= 200_000 && report.ok ? 'yes' : 'no' });
// The same walk as CPU time per entry, JavaScript and the PostgreSQL backends together (read from /proc):
// what the walk costs, whatever else shares the machine.
const usPerEntry = ((jsCpu + pgCpu) / report.verified) * 1e6;
rows.push({ figure: 'audit chain verification, CPU µs per entry (JavaScript + PostgreSQL)', value: usPerEntry.toFixed(2), baseline: `JavaScript ${jsCpu.toFixed(2)} s + PostgreSQL ${pgCpu.toFixed(2)} s for ${fmt(report.verified)} entries; load average ${loadavg()[0]!.toFixed(1)}`, ratio: '—', target: '≤ 5', met: pgCpu > 0 && usPerEntry <= 5 ? 'yes' : pgCpu > 0 ? 'no' : 'server not local' });

await app.close();
await database.close();

// 5. Latency at small vs large history (optional: --large <database> seeded by npm run seed:scale).
const latencyRows: string[] = [];
// The large database outlives a run: each run adds its bench world under a fresh tag (3–42, distinct credit codes).
const LARGE_TAG = String(3 + (Date.now() % 40));
if (values.large) {
  for (const [label, name] of [['small', 'wh327_bench'], ['large', values.large]] as const) {
    const db = await openDatabase({ url: dbUrl(name) });
    await db.migrate();
    const a = await buildApp(config, { database: db, clock: benchClock, devKey, keyring, logger: false });
    const u = await listen(a);
    const w = await benchWorld(db.db, 3000, label === 'small' ? '2' : LARGE_TAG);
    const tok = { authorization: `Bearer ${signDevToken(devKey, { sub: 'officer:bench', role: 'officer', agency: w.agency })}` };
    const iss = await load(u, { seconds, connections: 2, method: 'POST', headers: tok, paths: w.ids.map((id) => `/api/v1/inspections/${id}/code`) });
    const count = await db.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM inspections`);
    const c = (await (await fetch(`${u}/api/v1/inspections/${w.ids[0]}`, { headers: tok })).json()) as { code: { code: string } };
    const chk = await load(`${u}/api/v1/codes/${c.code.code}`, { seconds, connections: 2 });
    latencyRows.push(`| ${label} | ${fmt((count as unknown as { rows: { n: number }[] }).rows[0]!.n)} | ${iss.p50} | ${iss.p99} | ${chk.p50} | ${chk.p99} |`);
    await a.close();
    await db.close();
  }
}

const header = '| figure | value | baseline (same run) | ratio | target | met |\n|---|---|---|---|---|---|';
const table = [header, ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`)].join('\n');
console.log(table);
if (latencyRows.length) console.log(['| history | inspections | issue p50 ms | issue p99 ms | check p50 ms | check p99 ms |', '|---|---|---|---|---|---|', ...latencyRows].join('\n'));
for (const note of notes) console.log(`note: ${note}`);

const serverVersion = await (async () => {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  const v = (await c.query('SHOW server_version')).rows[0].server_version as string;
  await c.end();
  return v;
})();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; PostgreSQL ${serverVersion}`;
writeFileSync(
  projectPath('bench', 'last-run.md'),
  [`Run ${new Date().toISOString()} on ${machine}; ${seconds} s per load, 10 connections on loopback.`, '', table, '', ...(latencyRows.length ? ['| history | inspections | issue p50 ms | issue p99 ms | check p50 ms | check p99 ms |', '|---|---|---|---|---|---|', ...latencyRows, ''] : []), ...notes.map((x) => `- ${x}`)].join('\n'),
);
console.log('\nwritten to bench/last-run.md (copy the figures into docs/BENCHMARKS.md with their discussion)');
