import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ChainWalker, GENESIS } from '../src/audit/chain-walk.js';
import { feedLineRecords, lineChunks, type LineChunk } from '../src/audit/verify.js';
import { openDatabase } from '../src/db/client.js';

/**
 * The audit walk's JavaScript side on its own, for a figure the machine's load does not move: `--dump F` saves
 * the line chunks PostgreSQL sends for the first `--rows` chain rows of the probe's database (PROBE_AUDIT_DB,
 * seeded by bench/probe-audit.ts); `--replay F` decodes them from bytes as node-postgres does and feeds them to
 * a ChainWalker `--reps` times, printing CPU µs per row. Under `valgrind --tool=callgrind`, the instructions of
 * 6 passes minus those of 2, divided by 4 × rows, are the JavaScript side's instructions per row (bundle it
 * first with esbuild so valgrind does not run the TypeScript loader):
 * `npx esbuild bench/probe-audit-js.ts --bundle --platform=node --format=esm --outfile=/tmp/paj.mjs`.
 */
const { values } = parseArgs({ options: { dump: { type: 'string' }, replay: { type: 'string' }, rows: { type: 'string', default: '20000' }, reps: { type: 'string', default: '3' } } });
const rows = Number(values.rows);
if (values.dump) {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const url = Object.assign(new URL(adminUrl), { pathname: `/${process.env.PROBE_AUDIT_DB ?? 'wh327_probe_audit'}` }).toString();
  const database = await openDatabase({ url });
  const chunks: LineChunk[] = [];
  for (let after = 0; after < rows; after += 5000) chunks.push(...(await lineChunks(database.db, after, Math.min(5000, rows - after))));
  writeFileSync(values.dump, JSON.stringify(chunks));
  await database.close();
} else if (values.replay) {
  const chunks: LineChunk[] = JSON.parse(readFileSync(values.replay, 'utf8'));
  const n = chunks.reduce((s, c) => s + c.n, 0);
  const bytes = chunks.map((c) => Buffer.from(c.records));
  for (let r = 0; r < Number(values.reps); r++) {
    const t = process.cpuUsage();
    const texts = bytes.map((b, i) => ({ ...chunks[i]!, records: b.toString('utf8', 0, b.length) }));
    const walker = new ChainWalker(GENESIS, [], undefined, 0);
    await feedLineRecords(walker, 0, texts, async () => {
      throw new Error('a recorded row did not settle on its line');
    });
    const d = process.cpuUsage(t);
    console.log(`pass ${r + 1}: ${n} rows, ${((d.user + d.system) / n).toFixed(3)} µs CPU per row (verified ${walker.verified})`);
  }
} else console.error('--dump FILE or --replay FILE');
