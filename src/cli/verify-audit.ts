import { parseAuditMacKeyFile } from '../audit/mac.js';
import { parseCheckpoints, parseSegment, verifySegment } from '../audit/offline.js';
import { parsePublishedKeys } from '../codes/published-keys.js';
import { offlineInput } from './offline-input.js';

/**
 * Offline verification of the audit log (审计日志离线校验), for anyone who keeps copies of the published
 * checkpoints: no server, no database, no private key.
 *
 *   tsx src/cli/verify-audit.ts --checkpoints audit-checkpoints.json --segment segment.ndjson
 *       [--keys keys.json] [--mac-keys audit-mac.keys] [--to-head]
 *
 * --checkpoints  GET /.well-known/audit-checkpoints saved to a file (its `keys` verify the checkpoints
 *                unless --keys names another copy of the published keys, e.g. an older one you trust);
 *                repeat it for copies taken at different times: a checkpoint number signed twice with
 *                different heads shows the log was cut back and signed again
 * --segment      GET /api/v1/audit/export saved to a file (NDJSON)
 * --mac-keys     the audit MAC key file, to also check each entry came through the append path
 * --to-head      the segment runs to the chain's head: a checkpoint beyond it means the tail was cut off
 * --mac-from N   the first chain position that must carry an append MAC, where no checkpoint you hold signs
 *                it (those that do sign `macFrom`; the earliest applies): a format-1 row from it on is forged
 *
 * Exit status: 0 the segment verifies, 1 problems were found (each printed with its position), 2 the
 * input could not be read.
 */
const USAGE = 'usage: tsx src/cli/verify-audit.ts --checkpoints <file.json> --segment <file.ndjson> [--keys <keys.json>] [--mac-keys <file>] [--to-head] [--mac-from <seq>]';

const { values, read, ...cli } = offlineInput(USAGE, {
  checkpoints: { type: 'string', multiple: true },
  segment: { type: 'string' },
  keys: { type: 'string' },
  'mac-keys': { type: 'string' },
  'to-head': { type: 'boolean' },
  'mac-from': { type: 'string' },
});
// Annotated, so that TypeScript narrows after a call to it.
const fail: (message: string) => never = cli.fail;
if (!values.checkpoints?.length || !values.segment) fail('--checkpoints and --segment are required');
const macFromArg = values['mac-from'];
if (macFromArg !== undefined && !/^[1-9][0-9]{0,15}$/.test(macFromArg)) fail('--mac-from must be a chain position (1 or more)');

let input;
try {
  const copies = values.checkpoints.map((file) => JSON.parse(read(file, 'the checkpoints')) as unknown);
  const keys = parsePublishedKeys(values.keys ? JSON.parse(read(values.keys, 'the published keys')) : copies[0]);
  input = {
    checkpoints: copies.flatMap(parseCheckpoints),
    keys,
    rows: parseSegment(read(values.segment, 'the segment')),
    macKeys: values['mac-keys'] ? parseAuditMacKeyFile(read(values['mac-keys'], 'the MAC keys'), values['mac-keys']) : undefined,
    toHead: values['to-head'] === true,
    ...(macFromArg === undefined ? {} : { macFrom: Number(macFromArg) }),
  };
} catch (e) {
  fail((e as Error).message);
}

const report = verifySegment(input);
for (const p of report.problems) {
  const where = p.seq === null ? (p.checkpointSeq !== undefined ? `checkpoint ${p.checkpointSeq}` : `entry ${p.entryId}`) : `seq ${p.seq}${p.toSeq !== undefined ? `–${p.toSeq}` : ''}`;
  console.log(`问题/problem ${p.reason} at ${where}: ${p.detail}`);
}
const summary =
  `seq ${report.fromSeq}–${report.toSeq}: ${report.rows} rows, ${report.verified} verified; ` +
  `${report.checkpointsChecked} checkpoint(s) compared, ${report.checkpointsBeyond} beyond the segment; ` +
  `${report.anchored ? 'anchored' : 'NOT anchored (its first row links to no signed checkpoint)'}; ` +
  `append MACs ${report.macChecked ? 'checked' : 'not checked (no --mac-keys)'}; ` +
  `${report.macFrom === null ? 'format-1 rows checked for order only (no checkpoint signs the switch to MACs)' : `no format-1 row from seq ${report.macFrom} on`}`;
console.log(report.ok ? `完好/intact — ${summary}` : `有问题/tampered — ${report.problems.length} problem(s); ${summary}`);
process.exit(report.ok ? 0 : 1);
