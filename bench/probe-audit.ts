import { sql } from 'drizzle-orm';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sealPending } from '../src/audit/sealer.js';
import { verifyChain } from '../src/audit/verify.js';
import { openDatabase } from '../src/db/client.js';
import { systemClock } from '../src/time/clock.js';

/**
 * Probe for the audit verification figure (bench/run.ts step 4) on its own: seeds N sealed entries in a
 * fresh database, then walks the chain from the genesis a few times; `--profile F` writes a CPU profile of
 * the last walk. `npx tsx bench/probe-audit.ts --entries 200000`.
 */
const { values } = parseArgs({ options: { entries: { type: 'string', default: '200000' }, runs: { type: 'string', default: '3' }, profile: { type: 'string' } } });
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const name = 'wh327_probe_audit';
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${name}`);
await admin.end();
const database = await openDatabase({ url: Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString() });
await database.migrate();
const n = Number(values.entries);
await database.db.execute(sql.raw(`INSERT INTO audit_entries (occurred_at, actor, role, action, subject_type, subject_id, payload, payload_hash)
  SELECT now(), 'bench', 'officer', 'bench.entry', 'bench', g::text, '{}'::jsonb, '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' FROM generate_series(1, ${n}) g`));
await database.db.execute(sql.raw(`INSERT INTO audit_pending (entry_id) SELECT id FROM audit_entries WHERE action = 'bench.entry' ON CONFLICT DO NOTHING`));
await sealPending(database.db, systemClock);
await database.db.execute(sql.raw('VACUUM ANALYZE audit_chain'));
await database.db.execute(sql.raw('VACUUM ANALYZE audit_entries'));
const runs = Number(values.runs);
for (let i = 0; i < runs; i++) {
  const session = values.profile && i === runs - 1 ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const t0 = process.hrtime.bigint();
  const report = await verifyChain(database.db);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`run ${i + 1}: ${report.verified} entries in ${secs.toFixed(2)} s = ${Math.round(report.verified / secs)} entries/s (ok ${report.ok})`);
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(values.profile!, JSON.stringify(profile));
  }
}
await database.close();
