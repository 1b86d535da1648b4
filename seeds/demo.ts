import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import { appendAudit } from '../src/audit/append.js';
import type { Db } from '../src/db/client.js';
import { agencies, districts, enterprises, inspectionMatters } from '../src/db/schema/index.js';
import { demoEnterprises } from './demo-enterprises.js';
import { seedDemoActivity } from './demo-activity.js';
import { seedFrequencyRules } from './frequency-rules.js';
import { MATTER_CATALOG } from './matter-catalog.js';
import { wuhanAgencies } from './wuhan-agencies.js';
import { WUHAN_DISTRICTS } from './wuhan-districts.js';

/** The day the regulation took effect (Art. 43): the demo catalogue is published from then. */
export const DEMO_MATTERS_EFFECTIVE = '2025-12-01';
export const DEMO_ENTERPRISE_COUNT = 300;

/** True when the database holds no reference data (a seed may then run without being asked twice). */
export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(districts);
  return Number(row?.n ?? 0) === 0;
}

/** Loads Wuhan's districts, bureaus, matter catalogue and demo enterprises in one transaction. */
export async function seedDemo(
  db: Db,
  at: Date,
): Promise<{ districts: number; agencies: number; matters: number; enterprises: number; frequencyRules: number; noDisturb: number }> {
  return db.transaction(async (tx) => {
    await tx.insert(districts).values(WUHAN_DISTRICTS.map((d, i) => ({ ...d, sort: i })));
    const agencyRows = wuhanAgencies().map((a) => ({ ...a, createdAt: at }));
    await tx.insert(agencies).values(agencyRows);
    const matterRows = agencyRows.flatMap((a) =>
      (MATTER_CATALOG[a.code.split('-').pop()!] ?? []).map((m) => ({
        ...m,
        id: randomUUID(),
        agencyCode: a.code,
        version: 1,
        state: 'published' as const,
        effectiveFrom: DEMO_MATTERS_EFFECTIVE,
        publishedAt: at,
        createdAt: at,
      })),
    );
    for (let i = 0; i < matterRows.length; i += 500) await tx.insert(inspectionMatters).values(matterRows.slice(i, i + 500));
    const enterpriseRows = demoEnterprises(DEMO_ENTERPRISE_COUNT).map((e) => ({ ...e, createdAt: at }));
    await tx.insert(enterprises).values(enterpriseRows);
    const frequency = await seedFrequencyRules(tx, at, DEMO_MATTERS_EFFECTIVE, enterpriseRows);
    await seedDemoActivity(tx, at);
    const counts = { districts: WUHAN_DISTRICTS.length, agencies: agencyRows.length, matters: matterRows.length, enterprises: enterpriseRows.length, ...frequency };
    await appendAudit(tx, { at, actor: 'system:seed', role: 'admin', action: 'seed.loaded', subjectType: 'seed', subjectId: 'demo', payload: counts });
    return counts;
  });
}
