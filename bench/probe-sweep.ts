import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { clockFor, openConfiguredDatabase } from '../src/boot.js';
import { loadConfig } from '../src/config/config.js';
import type { SweepJob } from '../src/sweeper/job.js';
import { SWEEP_JOBS } from '../src/sweeper/registry.js';
import { runSweep } from '../src/sweeper/run.js';

/**
 * One sweeper pass, job by job, with each job's wall time, the groups or rows it selected and the flags it
 * raised (docs/BENCHMARKS.md, "Sweeper pass at 10 M"):
 *   DATABASE_URL=postgres://…/wh327_sweep npx tsx bench/probe-sweep.ts [--jobs a,b] [--max-seconds 300]
 * A job still running after --max-seconds is stopped at the end of its batch (reported as stopped, with what it
 * did so far); a frequency job stopped so never stores its watermark, and its next pass starts over.
 */
const { values } = parseArgs({ options: { jobs: { type: 'string' }, 'max-seconds': { type: 'string', default: '600' } } });
const only = values.jobs ? new Set(values.jobs.split(',')) : null;
const maxMs = Number(values['max-seconds']) * 1000;

const config = loadConfig();
const database = await openConfiguredDatabase(config);
await database.migrate();
const clock = clockFor(config);
const options = {
  resultNotifyWorkingDays: config.resultNotifyWorkingDays,
  referralAcceptWorkingDays: config.referralAcceptWorkingDays,
  archiveWithinDays: config.archiveWithinDays,
  caseMergeWindowDays: config.caseMergeWindowDays,
  followUpDays: config.followUpDays,
  planRefileWithinDays: config.plans.refileDays,
  jointCoordinationDays: config.joint.coordinationDays,
  relabelling: config.relabelling,
};
const started = Date.now();
console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const job of SWEEP_JOBS) {
  if (only && !only.has(job.name)) continue;
  let selected = 0;
  let raised = 0;
  let batches = 0;
  const t0 = Date.now();
  const timed: SweepJob = {
    ...job,
    async runBatch(tx, ctx, limit) {
      if (Date.now() - t0 > maxMs) throw new Error(`stopped after ${values['max-seconds']} s`);
      const out = await job.runBatch(tx, ctx, limit);
      selected += out.selected;
      raised += out.raised;
      batches++;
      return out;
    },
  };
  const [report] = await runSweep(database.db, clock, options, [timed]);
  const s = (Date.now() - t0) / 1000;
  console.log(
    `${job.name.padEnd(34)} ${s.toFixed(2).padStart(8)} s  batches ${String(batches).padStart(5)}  selected ${String(selected).padStart(8)}  raised ${String(raised).padStart(8)}${report!.error ? `  (${report!.error})` : ''}`,
  );
}
console.log(`pass: ${((Date.now() - started) / 1000).toFixed(1)} s; load average at end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
await database.close();
