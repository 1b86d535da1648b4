import { sql } from 'drizzle-orm';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { generateAuditMacKeys } from '../../src/audit/mac.js';
import { generateDevKey, signDevToken } from '../../src/auth/dev-key.js';
import { generateKeyring } from '../../src/codes/keyring.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { projectPath } from '../../src/paths.js';
import { ManualClock } from '../../src/time/clock.js';
import { benchConfig } from '../lib/bench-config.js';
import { driveYear } from './drive.js';
import { matchJointVisits, visitsWithGrouping } from './matching.js';
import { FULL_SCALE_ENTERPRISES, YEAR } from './model.js';
import { drawSchedule } from './schedule.js';
import { percentile } from './stats.js';
import { barChart, lineChart } from './svg.js';
import { buildWorld, drawEnterprises } from './world.js';
import { runFullScale } from './full.js';
import { wuhanAgencies } from '../../seeds/wuhan-agencies.js';
import { PROPOSAL_SETTINGS } from '../../src/proposals/settings.js';

/**
 * npm run replay — a year of a synthetic Wuhan through the HTTP API at an accelerated clock.
 *   npm run replay -- [--seed 327] [--fraction 0.001] [--db postgres|pglite|postgres://…] [--db-name wh327_replay] [--plots docs/bench] [--match-only]
 *   npm run replay -- --fraction 1 --days capacity|YYYY-MM-DD,…   (full-scale mode: those days through the API, the rest loaded; bench/replay/full.ts)
 * The same seed and fraction give the same year (the registry, the enterprises, every scheme and its day);
 * latencies are this machine's. Set-up (registry, enterprises) is inserted directly; every operation
 * measured is an API call (app.inject). The default fraction, 0.1 % of 600 k enterprises (600, ~200 schemes), ran in
 * 277 s at load average ~25 and 869 s at ~37 on this 2-core machine (docs/BENCHMARKS.md); --plots writes the SVG charts of docs/BENCHMARKS.md's "Year replay".
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '327' },
    fraction: { type: 'string', default: '0.001' },
    db: { type: 'string', default: 'postgres' },
    // The database the replay drops and creates on the admin URL's server (helpers running at once use their own).
    'db-name': { type: 'string', default: 'wh327_replay' },
    plots: { type: 'string' },
    json: { type: 'string' },
    // The year's drawn schemes matched without the API or a database: the matching figure at full scale in seconds.
    'match-only': { type: 'boolean', default: false },
    // Full-scale mode: only these working days (YYYY-MM-DD,… or the preset `capacity`) through the API, the rest
    // of the year's schemes loaded directly (bench/replay/load.ts, drive.ts FastForward).
    days: { type: 'string' },
  },
});
const seed = Number(values.seed);
const fraction = Number(values.fraction);
if (!(fraction > 0 && fraction <= 1)) throw new Error('--fraction must be in (0, 1]');
const started = Date.now();
const log = (s: string) => console.error(`[replay ${((Date.now() - started) / 1000).toFixed(0)} s] ${s}`);

async function open(): Promise<{ database: Database; label: string }> {
  if (values.db === 'pglite') return { database: await openDatabase({}), label: 'PGlite (in memory)' };
  const adminUrl = values.db === 'postgres' ? (process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test') : values.db!;
  const name = values['db-name']!;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error('--db-name must be a plain lower-case identifier');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const version = (await admin.query('SHOW server_version')).rows[0].server_version as string;
  await admin.end();
  return { database: await openDatabase({ url: Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString() }), label: `PostgreSQL ${version}` };
}

const avoidedLine = (m: { visitsBefore: number; visitsAfter: number; groups: string[][] }) =>
  `| enterprise visits avoided over the year by proposals from schemes (every unit accepting) | ${(m.visitsBefore - m.visitsAfter).toLocaleString('en-US')} of ${m.visitsBefore.toLocaleString('en-US')} (${((1 - m.visitsAfter / Math.max(1, m.visitsBefore)) * 100).toFixed(1)} %), in ${m.groups.length.toLocaleString('en-US')} joint visits |`;

if (values['match-only']) {
  // The same year as the full replay draws (same seed, same fraction), every drawn scheme taken as coded.
  const { enterprises: drawn } = drawEnterprises(seed, fraction, new Date(`${YEAR}-03-01T00:00:00Z`));
  const sched = drawSchedule(seed, drawn, wuhanAgencies().filter((a) => !a.isJusticeBureau).map((a) => a.code));
  const schemes = [...sched.visits].sort((a, b) => a.draftDay.localeCompare(b.draftDay) || a.n - b.n).map((v) => ({ inspectionId: `s${v.n}`, agencyCode: v.agencyCode, enterpriseCode: v.enterprise.creditCode, matterCodes: [v.matterCode], visitDate: v.visitDay }));
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const m = matchJointVisits(schemes, drawn);
  const ms = performance.now() - t0;
  const per = (v: Map<string, number>) => {
    const all = drawn.map((e) => v.get(e.creditCode) ?? 0).sort((a, b) => a - b);
    return `${percentile(all, 50)} / ${percentile(all, 99)} / ${all[all.length - 1]} (${(all.reduce((x, y) => x + y, 0) / all.length).toFixed(3)})`;
  };
  const before = visitsWithGrouping(schemes, []);
  const after = visitsWithGrouping(schemes, m.groups);
  console.log(
    [
      `Matching only, ${YEAR}: seed ${seed}, fraction ${fraction} (${drawn.length.toLocaleString('en-US')} enterprises, ${schemes.length.toLocaleString('en-US')} drawn schemes); matched in ${ms.toFixed(0)} ms, heap +${((process.memoryUsage().heapUsed - heap0) / 2 ** 20).toFixed(0)} MiB`,
      '',
      '| figure | value |',
      '|---|---|',
      `| visits per enterprise per year, without matching: p50 / p99 / max (mean) | ${per(before)} |`,
      `| visits per enterprise per year, with proposals from schemes | ${per(after)} |`,
      avoidedLine(m),
      // Sensitivity: the same matcher with a wider horizon, as if the units had planned a month or a quarter together.
      ...[30, 91].map((days) => {
        const w = matchJointVisits(schemes, drawn, days);
        return `| … with a horizon of ${days} days instead of the ${PROPOSAL_SETTINGS.schemeDays}-day setting | ${(w.visitsBefore - w.visitsAfter).toLocaleString('en-US')} avoided (${((1 - w.visitsAfter / Math.max(1, w.visitsBefore)) * 100).toFixed(1)} %) |`;
      }),
    ].join('\n'),
  );
  process.exit(0);
}

const { database, label } = await open();
await database.migrate();
const clock = new ManualClock(`${YEAR}-03-01T08:00:00+08:00`);
const world = await buildWorld(database.db, seed, fraction, clock.now());
const schedule = drawSchedule(seed, world.enterprises, world.agencyCodes);
log(`${world.enterprises.length} enterprises, ${world.agencyCodes.length} inspecting agencies, ${schedule.visits.length} schemes over ${schedule.workdays.length} working days`);
const devKey = generateDevKey();
const app = await buildApp(benchConfig(), { database, clock, devKey, keyring: generateKeyring(), auditMac: generateAuditMacKeys('replay'), logger: false });
await app.ready();
// The next year's holidays, as an administrator enters them (set-up): the year-end sweep counts working days into January.
await app.inject({ method: 'PUT', url: '/api/v1/calendar/years/2027', headers: { authorization: `Bearer ${signDevToken(devKey, { sub: 'admin:replay', role: 'admin' })}` }, payload: { source: '模拟安排（基准测试用）', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] } });
if (values.days) {
  await runFullScale({ app, database, clock, devKey, world, schedule, label, seed, fraction, days: values.days, plots: values.plots, json: values.json, started, log });
  process.exit(0);
}
const cpu0 = process.cpuUsage();
const load0 = loadavg()[0]!;
const result = await driveYear(app, database.db, clock, devKey, schedule, log);
const cpu = process.cpuUsage(cpu0);
const load1 = loadavg()[0]!;
const rows = async <T>(q: ReturnType<typeof sql>) => (await database.db.execute(q)) as unknown as { rows: T[] };
const flags = (await rows<{ rule: string; n: number }>(sql`SELECT rule, count(*)::int AS n FROM flags GROUP BY rule ORDER BY 2 DESC, 1`)).rows;
const size = (await rows<{ bytes: string }>(sql`SELECT pg_database_size(current_database())::text AS bytes`)).rows[0]!.bytes;
const inspections = (await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM inspections`)).rows[0]!.n;
const audit = (await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_entries`)).rows[0]!.n;
await app.close();
await database.close();

// Visits per enterprise per year, every enterprise counted (most have none).
function spread(visits: Map<string, number>) {
  const all = world.enterprises.map((e) => visits.get(e.creditCode) ?? 0).sort((a, b) => a - b);
  const mean = all.reduce((s, v) => s + v, 0) / all.length;
  return { p50: percentile(all, 50), p99: percentile(all, 99), max: all[all.length - 1]!, mean, visitedShare: all.filter((v) => v > 0).length / all.length, hist: all };
}
const without = spread(result.visited);
const matched = matchJointVisits(result.schemes, world.enterprises);
const withMatching = spread(visitsWithGrouping(result.schemes, matched.groups));

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
const wall = (Date.now() - started) / 1000;
const lines: string[] = [];
lines.push(`Year replay ${YEAR}: seed ${seed}, fraction ${fraction} (${world.enterprises.length.toLocaleString('en-US')} of ${FULL_SCALE_ENTERPRISES.toLocaleString('en-US')} enterprises), ${label}`);
lines.push(`wall ${wall.toFixed(0)} s; replay process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s; load average ${load0.toFixed(1)} → ${load1.toFixed(1)} on ${cpus().length} cores`);
lines.push('');
lines.push('| figure | value |', '|---|---|');
lines.push(`| schemes drawn (routine, on site) | ${schedule.visits.length.toLocaleString('en-US')} |`);
lines.push(`| codes issued | ${result.codesIssued.toLocaleString('en-US')} |`);
lines.push(`| visits made (scanned on entry) | ${[...result.visited.values()].reduce((s, v) => s + v, 0).toLocaleString('en-US')} |`);
lines.push(`| visits per enterprise per year, without matching: p50 / p99 / max (mean) | ${without.p50} / ${without.p99} / ${without.max} (${without.mean.toFixed(3)}; ${(without.visitedShare * 100).toFixed(1)} % visited at all) |`);
lines.push(`| visits per enterprise per year, with proposals from schemes (every unit accepting) | ${withMatching.p50} / ${withMatching.p99} / ${withMatching.max} (${withMatching.mean.toFixed(3)}) |`);
lines.push(avoidedLine(matched));
lines.push(`| sweeper pass at year end (31 Dec 23:00) | ${ms(result.yearEndSweepMs)} ms, ${result.yearEndRaised} flags raised |`);
const weekly = result.sweeps.map((s) => s.ms).sort((a, b) => a - b);
lines.push(`| weekly sweeper passes (${weekly.length}): p50 / max | ${ms(percentile(weekly, 50))} / ${ms(weekly[weekly.length - 1] ?? NaN)} ms |`);
lines.push(`| database size at year end | ${(Number(size) / 2 ** 20).toFixed(0)} MiB (${inspections.toLocaleString('en-US')} inspections, ${audit.toLocaleString('en-US')} audit entries) |`);
lines.push('');
lines.push('| operation in the 9 a.m. burst (8 in flight) | n | p50 ms | p99 ms | max ms |', '|---|---|---|---|---|');
for (const s of result.burst.summary()) lines.push(`| ${s.op} | ${s.n} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} |`);
lines.push('');
lines.push('| operation outside the burst (sequential) | n | p50 ms | p99 ms | max ms |', '|---|---|---|---|---|');
const burstOps = new Set(result.burst.summary().map((s) => s.op));
for (const s of result.allDay.summary().filter((x) => !burstOps.has(x.op))) lines.push(`| ${s.op} | ${s.n} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} |`);
lines.push('');
lines.push('| refusals by rule (API answers 409/422) | n |', '|---|---|');
for (const [rule, n] of result.refusals.sorted()) lines.push(`| ${rule} | ${n} |`);
lines.push('');
lines.push('| flags by rule at year end (flags table) | n |', '|---|---|');
for (const f of flags) lines.push(`| ${f.rule} | ${f.n} |`);
if (result.unexpected.length) lines.push('', 'unexpected answers (first 20):', ...result.unexpected.map((u) => `- ${u}`));
console.log(lines.join('\n'));

if (values.json) writeFileSync(values.json, JSON.stringify({ seed, fraction, label, wall, without: { ...without, hist: undefined }, withMatching: { ...withMatching, hist: undefined }, visitsAvoided: matched.visitsBefore - matched.visitsAfter, burst: result.burst.summary(), allDay: result.allDay.summary(), refusals: result.refusals.sorted(), flags, sizeBytes: Number(size), yearEndSweepMs: result.yearEndSweepMs, codesIssued: result.codesIssued }, null, 2));
if (values.plots) {
  const dir = projectPath(values.plots);
  mkdirSync(dir, { recursive: true });
  const maxV = without.max;
  const hist = Array.from({ length: maxV + 1 }, (_, v) => ({ label: `${v}`, value: without.hist.filter((x) => x === v).length }));
  writeFileSync(`${dir}/replay-visits.svg`, barChart(`Visits per enterprise in ${YEAR} (${world.enterprises.length} enterprises, fraction ${fraction}, without matching)`, hist));
  writeFileSync(`${dir}/replay-burst.svg`, barChart('9 a.m. burst: p99 per operation (ms)', result.burst.summary().map((s) => ({ label: s.op, value: s.p99, note: ms(s.p99) })), { color: '#c0392b' }));
  const weeks: { label: string; value: number }[] = [];
  let acc = 0;
  let week = '';
  for (const [day, n] of result.dailyCodes) {
    const w = day.slice(5, 7);
    if (w !== week && week) {
      weeks.push({ label: week, value: acc });
      acc = 0;
    }
    week = w;
    acc += n;
  }
  weeks.push({ label: week, value: acc });
  writeFileSync(`${dir}/replay-codes-by-month.svg`, barChart(`Codes issued per month (${YEAR}, fraction ${fraction})`, weeks.map((w) => ({ label: `${YEAR}-${w.label}`, value: w.value }))));
  writeFileSync(`${dir}/replay-sweeps.svg`, lineChart('Weekly sweeper pass (ms) through the year', result.sweeps.map((s) => ({ label: s.day.slice(5), value: s.ms })), { unit: ' ms' }));
  log(`plots written to ${values.plots}`);
}
