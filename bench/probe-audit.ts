import { sql } from 'drizzle-orm';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateAuditMacKeys } from '../src/audit/mac.js';
import { sealPending } from '../src/audit/sealer.js';
import { verifyChain } from '../src/audit/verify.js';
import { openDatabase } from '../src/db/client.js';
import { systemClock } from '../src/time/clock.js';
import { backendCpuSeconds, cpuSince } from './lib/backend-cpu.js';

/**
 * Probe for the audit verification figure (bench/run.ts step 4) on its own: seeds N sealed entries in a
 * fresh database, then walks the chain from the genesis a few times; `--profile F` writes a CPU profile of
 * the last walk, `--mac` checks the append MACs too (as the HTTP route does; the seeded entries have none).
 * Each run also shows the CPU time it took in this process and in its PostgreSQL backends (read from /proc
 * when the server runs on this machine; parallel workers, which live within one query, are not counted): the
 * walk is bound by whichever is near the wall time, or by both when their sum is near twice it on two cores.
 * The figure that noise on a shared machine does not move is their sum per entry (µs per entry, target ≤ 5).
 * `npx tsx bench/probe-audit.ts --entries 200000`.
 */
const { values } = parseArgs({ options: { entries: { type: 'string', default: '200000' }, runs: { type: 'string', default: '3' }, profile: { type: 'string' }, mac: { type: 'boolean', default: false } } });
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Its own database (PROBE_AUDIT_DB), dropped and created afresh: two probes at once must not share one.
const name = process.env.PROBE_AUDIT_DB ?? 'wh327_probe_audit';
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${name}`);
await admin.end();
const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
const database = await openDatabase({ url });
await database.migrate();
const n = Number(values.entries);
await database.db.execute(sql.raw(`INSERT INTO audit_entries (occurred_at, actor, role, action, subject_type, subject_id, payload, payload_hash)
  SELECT now(), 'bench', 'officer', 'bench.entry', 'bench', g::text, '{}'::jsonb, '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' FROM generate_series(1, ${n}) g`));
await database.db.execute(sql.raw(`INSERT INTO audit_pending (entry_id) SELECT id FROM audit_entries WHERE action = 'bench.entry' ON CONFLICT DO NOTHING`));
await sealPending(database.db, systemClock);
await database.db.execute(sql.raw('VACUUM ANALYZE audit_chain'));
await database.db.execute(sql.raw('VACUUM ANALYZE audit_entries'));
const macKeys = values.mac ? generateAuditMacKeys() : undefined;
const runs = Number(values.runs);
for (let i = 0; i < runs; i++) {
  const session = values.profile && i === runs - 1 ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const pg0 = await backendCpuSeconds(url);
  const js0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const report = await verifyChain(database.db, { macKeys });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const js = process.cpuUsage(js0);
  const pgCpu = cpuSince(pg0, await backendCpuSeconds(url));
  const jsCpu = (js.user + js.system) / 1e6;
  // With MAC keys every seeded entry is reported forged (they have no MAC): count the rows walked.
  const rows = report.headSeq - report.startSeq;
  console.log(
    `run ${i + 1}: ${rows} entries in ${secs.toFixed(2)} s = ${Math.round(rows / secs)} entries/s (ok ${report.ok}${macKeys ? ', MACs checked' : ''}); ` +
      `CPU: JavaScript ${jsCpu.toFixed(2)} s, PostgreSQL ${pgCpu.toFixed(2)} s = ${(((jsCpu + pgCpu) / rows) * 1e6).toFixed(2)} µs per entry ` +
      `(JavaScript ${((jsCpu / rows) * 1e6).toFixed(2)}, PostgreSQL ${((pgCpu / rows) * 1e6).toFixed(2)}; target ≤ 5); load average ${loadavg()[0]!.toFixed(1)}`,
  );
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(values.profile!, JSON.stringify(profile));
  }
}
await database.close();
