import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.js';
import { agencies, districts, enterprises, frequencyRules, inspectionMatters, inspections, planItems, plans, planVersions } from '../../src/db/schema/index.js';
import { makeCreditCode } from '../../seeds/credit-codes.js';

/**
 * A bench world: one district bureau with a published matter, a filed plan, a generous cap and `n`
 * approved on-site routine inspections at `n` enterprises (so no cap or lock contention distorts the
 * figure), inserted directly: the set-up is not what is measured.
 */
export async function benchWorld(db: Db, n: number, tag: string) {
  const at = new Date('2026-01-05T01:00:00Z');
  const district = `B${tag}`;
  const agency = `BENCH-${tag}`;
  await db.insert(districts).values({ code: district, name: `基准区${tag}`, kind: 'administrative' }).onConflictDoNothing();
  await db.insert(agencies).values({ code: agency, name: `基准市场监督管理局${tag}`, kind: 'organ', level: 'district', districtCode: district, domains: ['food'], createdAt: at });
  await db.insert(inspectionMatters).values({ id: randomUUID(), agencyCode: agency, matterCode: 'B-001', version: 1, name: '食品生产经营监督检查', legalBasis: '《食品安全法》第一百一十条', domain: 'food', state: 'published', effectiveFrom: '2025-12-01', publishedAt: at, createdAt: at });
  const planId = randomUUID();
  await db.insert(plans).values({ id: planId, agencyCode: agency, year: 2026, state: 'filed', deadline: '2026-03-31', filedAt: at, createdAt: at, updatedAt: at });
  const [item] = await db.insert(planItems).values({ id: randomUUID(), planId, matterCode: 'B-001', legalBasis: 'x', targetKind: 'class', targetClass: '全部', samplingRatio: 1, checkItems: ['x'], method: 'onsite', frequency: 1, necessity: 'x' }).returning();
  // The filed version is what covers an inspection (Art. 14 ¶2: every filed version is kept).
  const { planId: _p, ...filedItem } = item!;
  await db.insert(planVersions).values({ id: randomUUID(), planId, revision: 1, filedAt: at, filedBy: 'bench', items: [filedItem] });
  await db.insert(frequencyRules).values({ id: randomUUID(), issuerLevel: 'city', issuerName: '基准', documentNo: '基准', scopeKind: 'agency', period: 'year', maxCount: 1000, effectiveFrom: '2025-12-01', createdAt: at });
  const ids: string[] = [];
  for (let i = 0; i < n; i += 500) {
    const chunk = Array.from({ length: Math.min(500, n - i) }, (_, k) => i + k);
    const ents = chunk.map((k) => ({
      creditCode: makeCreditCode('limited_company', '420106', 50_000_000 + Number(tag.replace(/\D/g, '') || 0) * 1_000_000 + k),
      name: `基准企业${tag}-${k}`,
      districtCode: district,
      address: '基准路1号',
      entityType: 'limited_company',
      scope: 'in_scope' as const,
      riskClass: 'B' as const,
      createdAt: at,
    }));
    await db.insert(enterprises).values(ents).onConflictDoNothing();
    const rows = ents.map((e) => {
      const id = randomUUID();
      ids.push(id);
      return {
        id,
        agencyCode: agency,
        enterpriseCode: e.creditCode,
        kind: 'routine' as const,
        mode: 'onsite' as const,
        state: 'approved',
        matterCodes: ['B-001'],
        windowStart: new Date('2026-04-08T01:00:00Z'),
        windowEnd: new Date('2026-04-08T09:00:00Z'),
        countedDate: '2026-04-08',
        inspectors: [{ name: '甲', certificateNo: '1' }, { name: '乙', certificateNo: '2' }],
        checklist: ['x'],
        entityScope: 'in_scope',
        createdBy: 'bench',
        createdAt: at,
        updatedAt: at,
      };
    });
    await db.insert(inspections).values(rows);
  }
  return { agency, ids };
}
