import { buildApp } from '../src/app.js';
import { generateDevKey, signDevToken } from '../src/auth/dev-key.js';
import { generateKeyring } from '../src/codes/keyring.js';
import { openDatabase } from '../src/db/client.js';
import { benchWorld } from './lib/world.js';
import pg from 'pg';
import { benchClock, benchConfig } from './lib/bench-config.js';

/**
 * Latency of one code issuance at a time (no concurrency): the round-trip cost of the guarded transaction,
 * and how many statements it sends (every pg query counted, BEGIN/COMMIT included). PROBE_N requests;
 * PROBE_LIST=1 prints the statements of the second issuance (the first warms the app up).
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
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS wh327_probe WITH (FORCE)');
await admin.query('CREATE DATABASE wh327_probe');
await admin.end();
const database = await openDatabase({ url: 'postgres://postgres@127.0.0.1:5432/wh327_probe' });
await database.migrate();
const devKey = generateDevKey();
const app = await buildApp(benchConfig(), { database, clock: benchClock, devKey, keyring: generateKeyring('p'), logger: false });
const w = await benchWorld(database.db, 300, '7');
const headers = { authorization: `Bearer ${signDevToken(devKey, { sub: 'o', role: 'officer', agency: w.agency })}` };
const times: number[] = [];
const before = statements;
const n = Number(process.env.PROBE_N ?? 200);
for (const [k, id] of w.ids.slice(0, n).entries()) {
  listing = process.env.PROBE_LIST === '1' && k === 1;
  const t0 = performance.now();
  const r = await app.inject({ method: 'POST', url: `/api/v1/inspections/${id}/code`, headers });
  times.push(performance.now() - t0);
  if (r.statusCode !== 201) console.log(r.statusCode, r.body.slice(0, 200));
}
listing = false;
listed.forEach((text, k) => console.log(k + 1, text));
const perIssue = (statements - before) / n;
times.sort((a, b) => a - b);
console.log(`issue sequential: p50 ${times[Math.floor(n / 2)]!.toFixed(1)} ms, p90 ${times[Math.floor(n * 0.9)]!.toFixed(1)} ms, ${perIssue.toFixed(1)} statements per issuance`);
await app.close();
await database.close();
