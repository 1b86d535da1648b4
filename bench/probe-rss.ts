import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { generateDevKey, signDevToken } from '../src/auth/dev-key.js';
import { loadKeyring } from '../src/codes/keyring.js';
import { openDatabase } from '../src/db/client.js';
import { projectPath } from '../src/paths.js';
import { listen, load } from './lib/harness.js';
import { benchWorld } from './lib/world.js';
import { benchClock, benchConfig } from './lib/bench-config.js';

/**
 * Probe for the server-memory figure (bench/run.ts, "server RSS under the public-check load") on its own: starts
 * bench/lib/check-server.ts as the bench does, or with `--real` src/server.ts itself (see realEnv), or `--cmd`, a
 * command line run from the project folder (e.g. "node dist/src/server.js" with --real). Reads /proc/<pid>/status at
 * rest (2 s after start, no request yet), after the load (10 connections of the public check for `--seconds`, as
 * in the bench: the peak is VmHWM) and 3 s later, and the CPU the server used per 1,000 requests; `--runs` times.
 * `--smaps` also prints the resident set by mapping; `--snapshot` sends SIGUSR2 at rest and after the load (start
 * the server with --heapsnapshot-signal=SIGUSR2 to write heap snapshots, or --import a module of your own that
 * reports on that signal; a snapshot's own memory then shows in the peak). `npx tsx bench/probe-rss.ts --runs 3`.
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    cmd: { type: 'string' },
    smaps: { type: 'boolean', default: false },
    snapshot: { type: 'boolean', default: false },
    real: { type: 'boolean', default: false },
    'keep-db': { type: 'boolean', default: false },
  },
});
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const name = 'wh327_probe_rss';
const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();

// The set-up as in bench/run.ts: a fresh database, a bench world, code keys in a folder, one issued code.
const keysDir = mkdtempSync(join(tmpdir(), 'wh327-probe-keys-'));
writeFileSync(join(keysDir, 'bench.pem'), generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
writeFileSync(join(keysDir, 'active'), 'bench\n');
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${name}`);
await admin.end();
const database = await openDatabase({ url: dbUrl });
await database.migrate();
const world = await benchWorld(database.db, 50, '1');
const devKey = generateDevKey();
const config = benchConfig();
const app = await buildApp(config, { database, clock: benchClock, devKey, keyring: loadKeyring({ keysDir, dataDir: keysDir, production: false }), logger: false });
const base = await listen(app);
const officer = { authorization: `Bearer ${signDevToken(devKey, { sub: 'officer:bench', role: 'officer', agency: world.agency })}` };
const issued = (await (await fetch(`${base}/api/v1/inspections/${world.ids[0]}/code`, { method: 'POST', headers: officer })).json()) as { code: string; kid: string; signature: string };
const checkPath = `/api/v1/codes/${issued.code}?k=${issued.kid}&s=${issued.signature}`;
await app.close();
await database.close();

const MiB = (kib: number) => (kib / 1024).toFixed(1);
function status(pid: number) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rss: kib('VmRSS'), hwm: kib('VmHWM'), anon: kib('RssAnon'), file: kib('RssFile') };
}

/** CPU time (user + system) the process has used, in ms. */
function cpuMs(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** The resident set by mapping (file name, or [heap]/[anon]), largest first. */
function smapsByMapping(pid: number) {
  const sums = new Map<string, number>();
  let current = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) current = head[1] || '[anon]';
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) sums.set(current, (sums.get(current) ?? 0) + Number(rss[1]));
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, 12);
}

const command = values.cmd ? values.cmd.split(' ').filter(Boolean) : [process.execPath, '--import', 'tsx', values.real ? 'src/server.ts' : 'bench/lib/check-server.ts'];
// --real: src/server.ts itself (boot: migrations check, sealer, sweeper, webhooks), on the probe database, logging
// at info to its stdout (read and dropped here); the port comes from the banner it prints.
const realEnv = { DATABASE_URL: dbUrl, CODE_KEYS_DIR: keysDir, DATA_DIR: mkdtempSync(join(tmpdir(), 'wh327-probe-data-')), HOST: '127.0.0.1', PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'info', PUBLIC_RATE_LIMIT: '1000000', AUTH_RATE_LIMIT: '1000000' };
async function portOf(stdout: NodeJS.ReadableStream): Promise<string> {
  stdout.setEncoding('utf8');
  if (!values.real) return new Promise((resolve) => stdout.once('data', (d: string) => resolve(d.trim())));
  let seen = '';
  return new Promise((resolve) => {
    const onData = (d: string) => {
      seen = (seen + d).slice(-4096);
      const port = /API:\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(seen)?.[1];
      if (port) {
        resolve(port);
        stdout.off('data', onData);
        stdout.resume();
      }
    };
    stdout.on('data', onData);
  });
}
const results: string[] = [];
for (let run = 1; run <= Number(values.runs); run++) {
  const env = values.real ? { ...process.env, ...realEnv } : { ...process.env, BENCH_DB_URL: dbUrl, BENCH_KEYS_DIR: keysDir };
  const server = spawn(command[0]!, command.slice(1), { cwd: projectPath(), env, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await portOf(server.stdout!);
  const pid = server.pid!;
  await sleep(2000);
  const rest = status(pid);
  if (values.smaps) console.log('at rest, by mapping (MiB):', smapsByMapping(pid).map(([k, v]) => `${k} ${MiB(v)}`).join('; '));
  if (values.snapshot) {
    process.kill(pid, 'SIGUSR2');
    await sleep(4000);
  }
  const cpuBefore = cpuMs(pid);
  const loaded = await load(`http://127.0.0.1:${port}${checkPath}`, { seconds: Number(values.seconds) });
  const after = status(pid);
  const cpu = cpuMs(pid) - cpuBefore;
  if (values.smaps) console.log('after load, by mapping (MiB):', smapsByMapping(pid).map(([k, v]) => `${k} ${MiB(v)}`).join('; '));
  await sleep(3000);
  const settled = status(pid);
  if (values.snapshot) {
    process.kill(pid, 'SIGUSR2');
    await sleep(4000);
  }
  server.kill();
  await new Promise((resolve) => server.once('close', resolve));
  const line = `run ${run}: at rest ${MiB(rest.rss)} MiB (anon ${MiB(rest.anon)}, file ${MiB(rest.file)}); peak ${MiB(after.hwm)}; after load ${MiB(after.rss)}; settled ${MiB(settled.rss)}; ${Math.round(loaded.rps)} req/s, ${((cpu / (loaded.rps * Number(values.seconds))) * 1000).toFixed(1)} CPU-ms per 1,000 requests, non-2xx ${loaded.non2xx}`;
  console.log(line);
  results.push(line);
}
if (!values['keep-db']) {
  const again = new pg.Client({ connectionString: adminUrl });
  await again.connect();
  await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await again.end();
}
console.log(results.join('\n'));
