import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { DevKey } from '../../src/auth/dev-key.js';
import type { Database } from '../../src/db/client.js';
import { projectPath } from '../../src/paths.js';
import type { ManualClock } from '../../src/time/clock.js';
import { pickDays } from './days.js';
import { driveYear } from './drive.js';
import { makeFinisher, makeLoader } from './load.js';
import { matchJointVisits, visitsWithGrouping, type SchemeRecord } from './matching.js';
import { FULL_SCALE_ENTERPRISES, YEAR } from './model.js';
import type { Schedule } from './schedule.js';
import { percentile } from './stats.js';
import { barChart } from './svg.js';
import type { ReplayEnterprise } from './world.js';

/**
 * Full-scale mode of the year replay (`npm run replay -- --fraction 1 --days capacity`): the registry, the
 * enterprises and the March plan season as in the full replay; the schemes drafted or visited on the chosen days
 * through the API exactly as drive.ts drives any day; every other scheme of the year loaded directly as the API
 * would have left it (bench/replay/load.ts), before the burst of its drafting day; the year-end sweeper over the
 * whole year's rows. Figures of the year (visits per enterprise, codes, matching) are read from the rows.
 */
export async function runFullScale(o: {
  app: FastifyInstance;
  database: Database;
  clock: ManualClock;
  devKey: DevKey;
  world: { enterprises: ReplayEnterprise[]; agencyCodes: string[] };
  schedule: Schedule;
  label: string;
  seed: number;
  fraction: number;
  days: string;
  plots?: string;
  json?: string;
  started: number;
  log: (s: string) => void;
}): Promise<void> {
  const { database, schedule, world, log } = o;
  const db = database.db;
  const picked = pickDays(o.days, schedule);
  const driven = new Set(picked.map((p) => p.day));
  for (const p of picked) log(`driven through the API: ${p.day} (${p.why})`);
  const cpu0 = process.cpuUsage();
  const load0 = loadavg()[0]!;
  const loads: number[] = [load0];
  const sampler = setInterval(() => loads.push(loadavg()[0]!), 30_000);
  const result = await driveYear(o.app, db, o.clock, o.devKey, schedule, log, { driven, load: makeLoader(db, schedule.workdays), finish: makeFinisher(db, schedule.workdays) });
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  const load1 = loadavg()[0]!;
  loads.push(load1);
  log(`year driven and loaded; reading the figures from the rows`);

  const rows = async <T>(q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: T[] }).rows;
  const flags = await rows<{ rule: string; n: number; on_loaded: number }>(
    sql`SELECT f.rule, count(*)::int AS n, count(*) FILTER (WHERE c.kid = 'replay-loaded')::int AS on_loaded
          FROM flags f LEFT JOIN inspection_codes c ON f.subject_type = 'inspection' AND c.inspection_id::text = f.subject_id
         GROUP BY 1 ORDER BY 2 DESC, 1`,
  );
  const size = Number((await rows<{ bytes: string }>(sql`SELECT pg_database_size(current_database())::text AS bytes`))[0]!.bytes);
  const tableSizes = await rows<{ name: string; bytes: string; n: string }>(
    sql`SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS bytes, c.reltuples::bigint::text AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
         WHERE s.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 8`,
  );
  const counts = (await rows<{ inspections: number; codes: number; loaded_codes: number; scans: number; audit: number; drafts: number }>(
    sql`SELECT (SELECT count(*) FROM inspections)::int AS inspections, (SELECT count(*) FROM inspection_codes)::int AS codes,
               (SELECT count(*) FROM inspection_codes WHERE kid = 'replay-loaded')::int AS loaded_codes,
               (SELECT count(*) FROM code_scans WHERE accepted)::int AS scans, (SELECT count(*) FROM audit_entries)::int AS audit,
               (SELECT count(*) FROM inspections WHERE state = 'draft')::int AS drafts`,
  ))[0]!;
  const scanned = new Map((await rows<{ e: string; n: number }>(sql`SELECT at_enterprise AS e, count(*)::int AS n FROM code_scans WHERE accepted GROUP BY 1`)).map((r) => [r.e, r.n]));
  const coded = (
    await rows<{ id: string; agency: string; enterprise: string; matters: string[]; day: string }>(
      sql`SELECT i.id::text AS id, i.agency_code AS agency, i.enterprise_code AS enterprise, i.matter_codes AS matters, i.counted_date::text AS day
            FROM inspections i JOIN inspection_codes c ON c.inspection_id = i.id ORDER BY i.created_at, i.id`,
    )
  ).map((r): SchemeRecord => ({ inspectionId: r.id, agencyCode: r.agency, enterpriseCode: r.enterprise, matterCodes: r.matters, visitDate: r.day }));
  const byMonth = await rows<{ m: string; api: number; loaded: number }>(
    sql`SELECT to_char(issued_at AT TIME ZONE 'Asia/Shanghai', 'MM') AS m, count(*) FILTER (WHERE kid <> 'replay-loaded')::int AS api, count(*) FILTER (WHERE kid = 'replay-loaded')::int AS loaded FROM inspection_codes GROUP BY 1 ORDER BY 1`,
  );
  await o.app.close();
  await database.close();

  function spread(visits: Map<string, number>) {
    const all = world.enterprises.map((e) => visits.get(e.creditCode) ?? 0).sort((a, b) => a - b);
    const mean = all.reduce((s, v) => s + v, 0) / all.length;
    return { p50: percentile(all, 50), p99: percentile(all, 99), max: all[all.length - 1]!, mean, visitedShare: all.filter((v) => v > 0).length / all.length, hist: all };
  }
  const without = spread(scanned);
  const t0 = performance.now();
  const matched = matchJointVisits(coded, world.enterprises);
  const matchMs = performance.now() - t0;
  const withMatching = spread(visitsWithGrouping(coded, matched.groups));

  const n = (v: number) => v.toLocaleString('en-US');
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
  const wall = (Date.now() - o.started) / 1000;
  const lines: string[] = [];
  lines.push(`Year replay ${YEAR}, full-scale mode: seed ${o.seed}, fraction ${o.fraction} (${n(world.enterprises.length)} of ${n(FULL_SCALE_ENTERPRISES)} enterprises), ${o.label}`);
  lines.push(`driven through the API: ${picked.map((p) => `${p.day} (${p.why})`).join('; ')}; the March–April plan season (every plan); the schemes drafted two working days before a driven day for its visits; the year-end sweeper at 31 Dec 23:00.`);
  lines.push(`loaded directly: the rest of the year's schemes (bench/replay/load.ts), as the API leaves them, before the burst of their drafting day; and the visits, two working days on, of the schemes a driven day coded (scan, findings, result, archive written directly).`);
  lines.push(`wall ${wall.toFixed(0)} s (set-up included); replay process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s from the first working day; load average ${load0.toFixed(1)} → ${load1.toFixed(1)} (max ${Math.max(...loads).toFixed(1)}) on ${cpus().length} cores; loading took ${(result.loadedMs / 1000).toFixed(0)} s`);
  lines.push('');
  lines.push('| figure | value |', '|---|---|');
  lines.push(`| schemes drawn (routine, on site) | ${n(schedule.visits.length)} |`);
  lines.push(`| codes issued | ${n(counts.codes)}: ${n(result.codesIssued)} through the API + ${n(counts.loaded_codes)} loaded |`);
  lines.push(`| visits made (accepted scans) | ${n(counts.scans)} |`);
  lines.push(`| visits per enterprise per year, without matching: p50 / p99 / max (mean) | ${without.p50} / ${without.p99} / ${without.max} (${without.mean.toFixed(3)}; ${(without.visitedShare * 100).toFixed(1)} % visited at all) |`);
  lines.push(`| visits per enterprise per year, with proposals from schemes (every unit accepting) | ${withMatching.p50} / ${withMatching.p99} / ${withMatching.max} (${withMatching.mean.toFixed(3)}) |`);
  lines.push(`| enterprise visits avoided over the year by proposals from schemes | ${n(matched.visitsBefore - matched.visitsAfter)} of ${n(matched.visitsBefore)} (${((1 - matched.visitsAfter / Math.max(1, matched.visitsBefore)) * 100).toFixed(1)} %), in ${n(matched.groups.length)} joint visits; matched in ${(matchMs / 1000).toFixed(1)} s |`);
  lines.push(`| sweeper pass at year end (31 Dec 23:00, over the whole year's rows) | ${ms(result.yearEndSweepMs)} ms, ${n(result.yearEndRaised)} flags raised |`);
  lines.push(`| database size at year end | ${(size / 2 ** 20).toFixed(0)} MiB (${n(counts.inspections)} inspections, ${n(counts.audit)} audit entries: the loaded rows carry none) |`);
  lines.push(`| largest tables | ${tableSizes.map((t) => `${t.name} ${(Number(t.bytes) / 2 ** 20).toFixed(0)} MiB`).join(', ')} |`);
  lines.push('');
  for (const p of picked) {
    const rec = result.burstByDay.get(p.day);
    lines.push(`| ${p.day}, 9 a.m. burst (8 in flight) | n | p50 ms | p99 ms | max ms |`, '|---|---|---|---|---|');
    for (const s of rec?.summary() ?? []) lines.push(`| ${s.op} | ${n(s.n)} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} |`);
    lines.push('');
  }
  lines.push('| operation through the API outside the driven bursts (all days) | n | p50 ms | p99 ms | max ms |', '|---|---|---|---|---|');
  const burstOps = new Set(result.burst.summary().map((s) => s.op));
  for (const s of result.allDay.summary().filter((x) => !burstOps.has(x.op))) lines.push(`| ${s.op} | ${n(s.n)} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} |`);
  lines.push('');
  lines.push('| refusals by rule | n | from |', '|---|---|---|');
  for (const [rule, k] of result.refusals.sorted()) lines.push(`| ${rule} | ${n(k)} | API (driven days and their schemes) |`);
  if (result.loadRefusedNoPlan) lines.push(`| FAILED_CHECKS_UNEXPLAINED (drafted before the agency's plan was published) | ${n(result.loadRefusedNoPlan)} | loaded days: left as drafts, as the API leaves them (the loader's count, no API call) |`);
  lines.push('');
  lines.push('| flags by rule at year end (flags table, one sweeper pass over the year) | n | of which on a loaded inspection |', '|---|---|---|');
  for (const f of flags) lines.push(`| ${f.rule} | ${n(f.n)} | ${n(f.on_loaded)} |`);
  if (result.unexpected.length) lines.push('', 'unexpected answers (first 20):', ...result.unexpected.map((u) => `- ${u}`));
  console.log(lines.join('\n'));

  if (o.json)
    writeFileSync(
      o.json,
      JSON.stringify({ mode: 'full-scale', seed: o.seed, fraction: o.fraction, label: o.label, days: picked, wall, cpuS: (cpu.user + cpu.system) / 1e6, loads, counts, without: { ...without, hist: undefined }, withMatching: { ...withMatching, hist: undefined }, visitsAvoided: matched.visitsBefore - matched.visitsAfter, burstByDay: Object.fromEntries([...result.burstByDay].map(([d, r]) => [d, r.summary()])), allDay: result.allDay.summary(), refusals: result.refusals.sorted(), loadRefusedNoPlan: result.loadRefusedNoPlan, flags, sizeBytes: size, tableSizes, yearEndSweepMs: result.yearEndSweepMs, loadedMs: result.loadedMs }, null, 2),
    );
  if (o.plots) {
    const dir = projectPath(o.plots);
    mkdirSync(dir, { recursive: true });
    const hist = Array.from({ length: without.max + 1 }, (_, v) => ({ label: `${v}`, value: without.hist.filter((x) => x === v).length }));
    writeFileSync(`${dir}/replay-full-visits.svg`, barChart(`Visits per enterprise in ${YEAR}, full scale (${n(world.enterprises.length)} enterprises, without matching)`, hist.map((h) => ({ ...h, note: n(h.value) }))));
    const ops = ['draft scheme', 'approve', 'issue code', 'public check', 'scan on entry'];
    const bars = picked.flatMap((p) => {
      const sum = new Map((result.burstByDay.get(p.day)?.summary() ?? []).map((s) => [s.op, s]));
      return ops.filter((op) => sum.has(op)).map((op) => ({ label: `${p.day.slice(5)} ${op}`, value: sum.get(op)!.p99, note: ms(sum.get(op)!.p99) }));
    });
    writeFileSync(`${dir}/replay-full-burst.svg`, barChart('Full scale: 9 a.m. burst p99 per operation and driven day (ms)', bars, { color: '#c0392b', width: 900 }));
    writeFileSync(`${dir}/replay-full-codes-by-month.svg`, barChart(`Codes issued per month, full scale (${YEAR}; API-issued on driven days included)`, byMonth.map((m) => ({ label: `${YEAR}-${m.m}`, value: m.api + m.loaded, note: m.api ? `${n(m.api)} API` : n(m.loaded) }))));
    log(`plots written to ${o.plots}`);
  }
}
