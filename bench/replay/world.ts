import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../../src/db/client.js';
import { agencies, districts, enterprises, inspectionMatters } from '../../src/db/schema/index.js';
import { scopeOf, type EntityType } from '../../src/registry/entity-scope.js';
import { makeCreditCode } from '../../seeds/credit-codes.js';
import { DEMO_MATTERS_EFFECTIVE } from '../../seeds/demo.js';
import { seedFrequencyRules } from '../../seeds/frequency-rules.js';
import { MATTER_CATALOG } from '../../seeds/matter-catalog.js';
import { wuhanAgencies } from '../../seeds/wuhan-agencies.js';
import { adminCodeOf, WUHAN_DISTRICTS } from '../../seeds/wuhan-districts.js';
import { DISTRICT_WEIGHTS, FULL_SCALE_ENTERPRISES, INDUSTRIES, prng, RISK_CLASSES, weighted } from './model.js';

export interface ReplayEnterprise {
  creditCode: string;
  districtCode: string;
  industry: (typeof INDUSTRIES)[number];
  riskClass: 'A' | 'B' | 'C' | 'D';
}

const TYPES: [EntityType, number][] = [
  ['limited_company', 66],
  ['individual_business', 28],
  ['joint_stock_company', 4],
  ['partnership_enterprise', 2],
];

/** `fraction` × 600 k enterprises drawn from `seed`, as rows and as the replay's model (no database). */
export function drawEnterprises(seed: number, fraction: number, at: Date): { enterprises: ReplayEnterprise[]; rows: (typeof enterprises.$inferInsert)[] } {
  const rnd = prng(seed);
  const count = Math.max(100, Math.round(FULL_SCALE_ENTERPRISES * fraction));
  const districtList = WUHAN_DISTRICTS.map((d) => d.code as string);
  const out: ReplayEnterprise[] = [];
  const rows: (typeof enterprises.$inferInsert)[] = [];
  for (let i = 0; i < count; i++) {
    const districtCode = weighted(rnd, districtList, (d) => DISTRICT_WEIGHTS[d] ?? 1);
    const industry = weighted(rnd, INDUSTRIES, (x) => x.share);
    const riskClass = weighted(rnd, RISK_CLASSES, (x) => x.share).cls;
    const type = weighted(rnd, TYPES, ([, w]) => w)[0];
    const creditCode = makeCreditCode(type, adminCodeOf(districtCode), 20_000_000 + i);
    const district = WUHAN_DISTRICTS.find((d) => d.code === districtCode)!;
    const name = type === 'individual_business' ? `${district.name.replace(/区$/, '')}第${i + 1}号${industry.word}经营部` : `武汉市第${i + 1}号${industry.word}有限公司`;
    rows.push({ creditCode, name, districtCode, address: `湖北省武汉市${district.name}模拟路${(i % 999) + 1}号`, entityType: type, scope: scopeOf(type), riskClass, createdAt: at });
    out.push({ creditCode, districtCode, industry, riskClass });
  }
  return { enterprises: out, rows };
}

/**
 * The registry, inserted directly (set-up, not measured): the project's Wuhan seed — 13 districts and the
 * development zones, the city and district bureaus, the published matter catalogue, the demo frequency caps —
 * and `fraction` × 600 k enterprises with an industry and a risk class, drawn from `seed`.
 */
export async function buildWorld(db: Db, seed: number, fraction: number, at: Date): Promise<{ enterprises: ReplayEnterprise[]; agencyCodes: string[] }> {
  await db.insert(districts).values(WUHAN_DISTRICTS.map((d, i) => ({ ...d, sort: i })));
  const agencyRows = wuhanAgencies().map((a) => ({ ...a, createdAt: at }));
  await db.insert(agencies).values(agencyRows);
  const matterRows = agencyRows.flatMap((a) =>
    (MATTER_CATALOG[a.code.split('-').pop()!] ?? []).map((m) => ({ ...m, id: randomUUID(), agencyCode: a.code, version: 1, state: 'published' as const, effectiveFrom: DEMO_MATTERS_EFFECTIVE, publishedAt: at, createdAt: at })),
  );
  for (let i = 0; i < matterRows.length; i += 500) await db.insert(inspectionMatters).values(matterRows.slice(i, i + 500));

  const { enterprises: out, rows } = drawEnterprises(seed, fraction, at);
  // At full scale (600 k) the per-row trigger keeping the sampling populations updates one of 17 rows 600 k times,
  // each update a new version of a hot row: off during the insert and rebuilt once after it, as seed:scale does.
  const bulk = rows.length > 10_000;
  if (bulk) await db.execute(sql`ALTER TABLE enterprises DISABLE TRIGGER enterprises_sampling_populations`);
  // On PostgreSQL a large registry is streamed with COPY (building 600 k rows' insert parameters took minutes of CPU).
  const pool = (db as unknown as { $client?: pg.Pool }).$client;
  if (bulk && pool instanceof pg.Pool) await copyEnterprises(pool, rows);
  else for (let i = 0; i < rows.length; i += 5000) await db.insert(enterprises).values(rows.slice(i, i + 5000));
  if (bulk) {
    await db.execute(sql`ALTER TABLE enterprises ENABLE TRIGGER enterprises_sampling_populations`);
    await db.execute(sql`SELECT sampling_counts_rebuild()`);
  }
  await db.transaction((tx) => seedFrequencyRules(tx, at, DEMO_MATTERS_EFFECTIVE, rows.map((r) => ({ creditCode: r.creditCode, riskClass: r.riskClass ?? null, scope: r.scope }))));
  return { enterprises: out, agencyCodes: agencyRows.filter((a) => !a.isJusticeBureau).map((a) => a.code) };
}

async function copyEnterprises(pool: pg.Pool, rows: readonly (typeof enterprises.$inferInsert)[]): Promise<void> {
  const client = await pool.connect();
  try {
    const sink = client.query(copyFrom('COPY enterprises (credit_code, name, district_code, address, entity_type, scope, risk_class, created_at) FROM STDIN'));
    // No value contains a tab, a newline or a backslash (names and addresses are generated above).
    await pipeline(
      Readable.from((function* () {
        for (const r of rows) yield `${r.creditCode}\t${r.name}\t${r.districtCode}\t${r.address}\t${r.entityType}\t${r.scope}\t${r.riskClass}\t${r.createdAt!.toISOString()}\n`;
      })()),
      sink,
    );
  } finally {
    client.release();
  }
}
