import { appendFileSync } from 'node:fs';
import { afterAll, expect } from 'vitest';
import { pglitePool } from './pglite-pool.js';

/**
 * Opt-in (VITEST_CPU_LOG=<file>, see vitest.config.ts): appends one line per test file — database driver, file,
 * the CPU seconds (user + sys) its worker spent on it from this set-up file to its last afterAll, wall seconds,
 * and the PGlite instances it opened, reused and discarded. On a shared, loaded machine wall time says little;
 * the worker's own CPU time ranks the files (Chromium's and PostgreSQL's CPU is not in it).
 */
const log = process.env.VITEST_CPU_LOG;
if (log) {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const pool0 = { ...pglitePool().counts };
  afterAll(() => {
    const c = process.cpuUsage(cpu0);
    const p = pglitePool().counts;
    const file = (expect.getState().testPath ?? '?').replace(`${process.cwd()}/`, '');
    const cols = [process.env.TEST_DB ?? '-', file, ((c.user + c.system) / 1e6).toFixed(2), ((performance.now() - wall0) / 1000).toFixed(2), p.opened - pool0.opened, p.reused - pool0.reused, p.discarded - pool0.discarded, (p.resetCpu - pool0.resetCpu).toFixed(3)];
    appendFileSync(log, `${cols.join('\t')}\n`);
  });
}

/** VITEST_CPU_PROF=<folder>: a V8 CPU profile of each file's worker time, `<file>.cpuprofile` (open in Chrome's DevTools). */
const profDir = process.env.VITEST_CPU_PROF;
if (profDir) {
  const { Session } = await import('node:inspector/promises');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  afterAll(async () => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(profDir, { recursive: true });
    writeFileSync(`${profDir}/${(expect.getState().testPath ?? 'file').split('/').pop()}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  });
}
