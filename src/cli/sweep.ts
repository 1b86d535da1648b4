import { parseArgs } from 'node:util';
import { clockFor, openConfiguredDatabase } from '../boot.js';
import { loadConfig } from '../config/config.js';
import { auditMacKeysFor } from '../audit/mac.js';
import { runSweep, sweepOptions } from '../sweeper/run.js';

/**
 * One sweeper pass from the command line (cron, or by hand after moving CLOCK_START in a demo): raises
 * the due flags and prints what each job raised. Safe beside running servers (SKIP LOCKED, idempotent).
 *
 *   npm run sweep [-- --publish-days 20]
 */
const { values } = parseArgs({ options: { 'publish-days': { type: 'string' } } });
const publishDays = values['publish-days'] === undefined ? undefined : Number(values['publish-days']);
if (publishDays !== undefined && (!Number.isInteger(publishDays) || publishDays < 1)) {
  console.error('--publish-days must be a positive integer');
  process.exit(2);
}

const config = loadConfig();
const database = await openConfiguredDatabase(config);
try {
  await database.migrate();
  const reports = await runSweep(database.db, clockFor(config), { ...sweepOptions(config), auditMac: auditMacKeysFor(config), ...(publishDays === undefined ? {} : { planPublishWithinDays: publishDays }) });
  for (const r of reports) console.log(`${r.job}: ${r.count} flag(s) raised${r.error ? ` — failed: ${r.error}` : ''}`);
  if (reports.some((r) => r.error)) process.exitCode = 1;
} finally {
  await database.close();
}
