import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { makeCreditCode } from '../../seeds/credit-codes.js';
import { isEmpty, seedDemo } from '../../seeds/demo.js';
import { adminCodeOf, WUHAN_DISTRICTS } from '../../seeds/wuhan-districts.js';
import { MATTER_CATALOG } from '../../seeds/matter-catalog.js';
import { openDatabase } from '../db/client.js';
import { newRowId } from '../db/ids.js';

/**
 * Generates history at scale for the benchmarks, streamed with COPY (never row-by-row inserts):
 *   DATABASE_URL=postgres://… npm run seed:scale -- --enterprises 1000000 --inspections 10000000
 * Enterprises get valid credit codes; inspections are closed routine visits of the district market and
 * environment bureaus spread over 2025-12 … 2026-12, each with its code, so the hot queries of the
 * issuance and the public check run against realistic index sizes.
 *
 * At 10 M rows the layout matters more than the generator: keys are time-ordered (UUIDv7, src/db/ids.ts) so
 * the primary key grows at its right edge, and the secondary indexes of the two big tables are dropped
 * before the COPY and built once after it (one sort each instead of ten million random insertions).
 */
const { values } = parseArgs({
  options: { enterprises: { type: 'string', default: '100000' }, inspections: { type: 'string', default: '1000000' } },
});
const enterpriseCount = Number(values.enterprises);
const inspectionCount = Number(values.inspections);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('seed:scale needs DATABASE_URL=postgres://… (COPY streams into a PostgreSQL server)');
  process.exit(2);
}

const database = await openDatabase({ url });
await database.migrate();
if (await isEmpty(database.db)) await seedDemo(database.db, new Date());
await database.close();

const client = new pg.Client({ connectionString: url });
await client.connect();
// The sampling-ratio counts and the dashboard's counts are kept by row triggers: rebuilt once after the COPY
// instead of ten million trigger calls during it.
const ROW_TRIGGERS = [
  ['inspections', 'inspections_sampling_counts'],
  ['enterprises', 'enterprises_sampling_populations'],
  ['inspections', 'inspections_dashboard_counts'],
  ['inspection_codes', 'inspection_codes_dashboard_counts'],
  ['code_scans', 'code_scans_dashboard_counts'],
];
for (const [table, trigger] of ROW_TRIGGERS) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);

/** COPY rows (tab-separated, no value contains a tab or newline) produced lazily by `rows`. */
async function copy(table: string, columns: string[], rows: () => Generator<string>, count: number): Promise<void> {
  const started = Date.now();
  const sink = client.query(copyFrom(`COPY ${table} (${columns.join(',')}) FROM STDIN`));
  await pipeline(Readable.from(rows(), { objectMode: false }), sink);
  const s = (Date.now() - started) / 1000;
  console.log(`${table}: ${count} rows copied in ${s.toFixed(1)} s (${Math.round(count / s)} rows/s)`);
}

/**
 * The secondary indexes of a table (not its primary key or unique constraints, which COPY must check):
 * dropped before a bulk load and recreated from their own definitions after it.
 */
async function withoutSecondaryIndexes(tables: string[], load: () => Promise<void>): Promise<void> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
      WHERE t.relname = ANY($1) AND NOT i.indisprimary AND NOT i.indisunique`,
    [tables],
  );
  for (const r of rows) await client.query(`DROP INDEX ${r.name}`);
  await load();
  const started = Date.now();
  for (const r of rows) await client.query(r.def);
  console.log(`${rows.length} secondary indexes rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const districts = WUHAN_DISTRICTS.filter((d) => d.kind === 'administrative');
const creditCodes: string[] = [];
const enterpriseDistrict: string[] = [];
const BASE = 10_000_000; // keeps generated codes apart from the demo enterprises'

await copy('enterprises', ['credit_code', 'name', 'district_code', 'address', 'entity_type', 'scope', 'risk_class', 'created_at'], function* () {
  for (let i = 0; i < enterpriseCount; i++) {
    const d = districts[i % districts.length]!;
    const code = makeCreditCode('limited_company', adminCodeOf(d.code), BASE + i);
    creditCodes.push(code);
    enterpriseDistrict.push(d.code);
    yield `${code}\t规模测试企业${i}有限公司\t${d.code}\t湖北省武汉市${d.name}测试路${i % 999}号\tlimited_company\tin_scope\t${'ABCD'[i % 4]}\t2025-11-01T00:00:00Z\n`;
  }
}, enterpriseCount);

const food = MATTER_CATALOG.SCJG![0]!.matterCode;
const ids: { id: string; agency: string; enterprise: string }[] = [];
await withoutSecondaryIndexes(['inspections', 'inspection_codes'], async () => {
await copy(
  'inspections',
  ['id', 'agency_code', 'enterprise_code', 'kind', 'mode', 'state', 'matter_codes', 'window_start', 'window_end', 'counted_date', 'counts_toward_cap', 'inspectors', 'checklist', 'entity_scope', 'created_by', 'version', 'created_at', 'updated_at'],
  function* () {
    const start = Date.UTC(2025, 11, 1);
    for (let i = 0; i < inspectionCount; i++) {
      const e = i % enterpriseCount;
      const id = newRowId();
      if (i % 10 === 0) ids.push({ id, agency: `${enterpriseDistrict[e]}-SCJG`, enterprise: creditCodes[e]! });
      const day = new Date(start + ((i * 7919) % 395) * 86_400_000);
      const date = day.toISOString().slice(0, 10);
      const from = `${date}T01:00:00Z`;
      const to = `${date}T09:00:00Z`;
      yield `${id}\t${enterpriseDistrict[e]}-SCJG\t${creditCodes[e]}\troutine\tonsite\tclosed\t{${food}}\t${from}\t${to}\t${date}\tt\t[{"name":"测试甲","certificateNo":"1"},{"name":"测试乙","certificateNo":"2"}]\t["检查项目"]\tin_scope\tbench\t1\t${from}\t${to}\n`;
    }
  },
  inspectionCount,
);

// One code for every tenth inspection: the public check's lookup runs against a large code table too.
await copy('inspection_codes', ['code', 'inspection_id', 'kid', 'signature', 'facts', 'valid_from', 'valid_to', 'state', 'issued_by', 'issued_at'], function* () {
  for (let k = 0; k < ids.length; k++) {
    const code = `JC-2025-S${String(k).padStart(9, '0')}`;
    const { id, agency, enterprise } = ids[k]!;
    const facts = JSON.stringify({ code, inspectionId: id, agencies: [agency], enterprise, matters: [food], kind: 'routine', validFrom: '2025-12-01T01:00:00.000Z', validTo: '2025-12-01T09:00:00.000Z', inspectorCount: 2 });
    yield `${code}\t${id}\tscale\t${'A'.repeat(86)}\t${facts}\t2025-12-01T01:00:00Z\t2025-12-01T09:00:00Z\tclosed\tbench\t2025-12-01T00:00:00Z\n`;
  }
}, Math.ceil(inspectionCount / 10));
});
for (const [table, trigger] of ROW_TRIGGERS) await client.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
const counted = Date.now();
await client.query('SELECT sampling_counts_rebuild()');
await client.query('SELECT dashboard_counts_rebuild()');
console.log(`sampling counts rebuilt in ${((Date.now() - counted) / 1000).toFixed(1)} s`);
await client.query('ANALYZE');
await client.end();
console.log(`seeded ${enterpriseCount} enterprises, ${inspectionCount} inspections, ${ids.length} codes`);
