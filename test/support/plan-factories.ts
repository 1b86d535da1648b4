import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.js';
import { frequencyRules, inspections, noDisturbList, planItems, plans, planVersions, specialPlans } from '../../src/db/schema/index.js';
import { shanghaiDate } from '../../src/time/shanghai-date.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import { newAgency, newDistrict, newJusticeBureau, newMatter } from './factories.js';

/**
 * Factories for plans, frequency rules and inspection history (the plans issue's tests). Records are
 * written straight through drizzle, like test/support/factories.ts, so tests state only what they need.
 */
const epoch = new Date('2025-11-01T00:00:00Z');

/** A complete Art. 13 item for `matterCode` (override what the test is about). */
export const fullItem = (matterCode: string, over: Record<string, unknown> = {}) => ({
  matterCode,
  legalBasis: '《中华人民共和国食品安全法》第一百一十条',
  targetKind: 'class' as const,
  targetClass: '辖区内食品生产企业',
  samplingRatio: 0.05,
  checkItems: ['生产许可', '进货查验记录', '从业人员健康管理'],
  method: 'onsite' as const,
  frequency: 1,
  necessity: '食品生产环节风险较高，按“双随机、一公开”要求抽查',
  ...over,
});

export interface PlanWorld {
  cityBureau: Agency;
  cityAgency: Agency;
  districtBureau: Agency;
  districtAgency: Agency;
  otherDistrictBureau: Agency;
  /** Published for both agencies from 2025-12-01. */
  matterCode: string;
}

/**
 * One city justice bureau (sameLevelJusticeBureau finds the city bureau by level, so a file's database
 * holds exactly one), a city agency, a district with its bureau and an agency whose parent is the city
 * agency, and a second district's bureau.
 */
export async function newPlanWorld(db: Db): Promise<PlanWorld> {
  const cityBureau = await newJusticeBureau(db, { name: '武汉市司法局（测试）' });
  const cityAgency = await newAgency(db, { name: '武汉市市场监督管理局（测试）' });
  const d1 = await newDistrict(db, { name: '江岸区（测试）' });
  const d2 = await newDistrict(db, { name: '武昌区（测试）' });
  const districtBureau = await newJusticeBureau(db, { name: '江岸区司法局（测试）', districtCode: d1.code });
  const otherDistrictBureau = await newJusticeBureau(db, { name: '武昌区司法局（测试）', districtCode: d2.code });
  const districtAgency = await newAgency(db, { name: '江岸区市场监督管理局（测试）', districtCode: d1.code, parentCode: cityAgency.code });
  const matter = await newMatter(db, cityAgency.code);
  await newMatter(db, districtAgency.code, { matterCode: matter.matterCode });
  return { cityBureau, cityAgency, districtBureau, districtAgency, otherDistrictBureau, matterCode: matter.matterCode };
}

/**
 * A plan already filed (or in `state`) for `agencyCode` and `year`. By default each matter gets two broad
 * items — on-site and off-site, the agency's whole class of enterprises (ratio 1), up to 366 times a year —
 * so tests about something else are not refused by plan coverage; pass `items` to state exact ones. A plan
 * with `filedAt` gets its filed version (the one before the amendment when `needsRefiling`).
 */
export async function newFiledPlan(
  db: Db,
  agencyCode: string,
  year: number,
  matterCodes: string[],
  over: Partial<typeof plans.$inferInsert> = {},
  items?: Record<string, unknown>[],
) {
  const submittedAt = over.submittedAt === undefined ? new Date(`${year}-03-01T02:00:00Z`) : over.submittedAt;
  const [plan] = await db
    .insert(plans)
    .values({
      id: randomUUID(),
      agencyCode,
      year,
      state: 'filed',
      deadline: `${year}-03-31`,
      submittedAt,
      submittedOn: submittedAt ? shanghaiDate(submittedAt) : null,
      filedAt: new Date(`${year}-03-10T02:00:00Z`),
      filedBy: 'supervisor:test',
      createdAt: epoch,
      updatedAt: epoch,
      ...over,
    })
    .returning();
  const broad = (matterCode: string, method: 'onsite' | 'offsite') => fullItem(matterCode, { method, samplingRatio: 1, frequency: 366 });
  const stated = items ?? matterCodes.flatMap((m) => [broad(m, 'onsite'), broad(m, 'offsite')]);
  const rows = stated.map((item, position) => ({
    ...fullItem(''),
    ...item,
    id: `${position.toString(16).padStart(8, '0')}${randomUUID().slice(8)}`,
    planId: plan!.id,
  })) as (typeof planItems.$inferInsert)[];
  const inserted = rows.length ? await db.insert(planItems).values(rows).returning() : [];
  if (plan!.filedAt) {
    await db.insert(planVersions).values({
      id: randomUUID(),
      planId: plan!.id,
      revision: plan!.needsRefiling ? plan!.revision - 1 : plan!.revision,
      filedAt: plan!.filedAt,
      filedBy: plan!.filedBy ?? 'supervisor:test',
      items: inserted.map(({ planId: _p, ...i }) => i),
    });
  }
  return plan!;
}

export async function newSpecialPlan(db: Db, agencyCode: string, matterCodes: string[], over: Partial<typeof specialPlans.$inferInsert> = {}) {
  const [row] = await db
    .insert(specialPlans)
    .values({
      id: randomUUID(),
      agencyCode,
      title: '2026年食品安全专项整治',
      focus: '校园周边食品安全突出问题',
      matterCodes,
      startDate: '2026-04-01',
      endDate: '2026-06-30',
      state: 'published',
      approverKind: 'same_level_government',
      approverName: '武汉市人民政府',
      approvalDocNo: '武政〔2026〕1号（测试）',
      createdAt: epoch,
      updatedAt: epoch,
      ...over,
    })
    .returning();
  return row!;
}

export async function newFrequencyRule(db: Db, over: Partial<typeof frequencyRules.$inferInsert> = {}) {
  const [row] = await db
    .insert(frequencyRules)
    .values({
      id: randomUUID(),
      kind: 'cap',
      issuerLevel: 'city',
      issuerName: '武汉市人民政府办公厅',
      documentNo: '武政办〔2025〕1号（测试）',
      scopeKind: 'agency',
      scopeValue: null,
      period: 'year',
      maxCount: 2,
      effectiveFrom: '2025-12-01',
      createdAt: epoch,
      ...over,
    })
    .returning();
  return row!;
}

export async function newNoDisturb(db: Db, enterpriseCode: string, over: Partial<typeof noDisturbList.$inferInsert> = {}) {
  const [row] = await db
    .insert(noDisturbList)
    .values({ id: randomUUID(), enterpriseCode, fromDate: '2026-01-01', reason: '信用A级、三年无违法记录（测试）', basis: '武汉市人民政府办公厅“无事不扰”企业清单（测试）', listedBy: 'admin:test', createdAt: epoch, ...over })
    .returning();
  return row!;
}

/** An inspection on record, as the inspection code would have written it; only the counted facts matter here. */
export async function newInspection(
  db: Db,
  input: { agencyCode: string; enterpriseCode: string; matterCodes: string[]; countedDate: string } & Partial<typeof inspections.$inferInsert>,
) {
  const start = new Date(`${input.countedDate}T01:00:00Z`);
  const [row] = await db
    .insert(inspections)
    .values({
      id: randomUUID(),
      kind: 'routine',
      mode: 'onsite',
      state: 'closed',
      windowStart: start,
      windowEnd: new Date(start.getTime() + 8 * 3600_000),
      countsTowardCap: input.kind !== 'case',
      inspectors: [{ name: '张三', certificateNo: '42000000001' }, { name: '李四', certificateNo: '42000000002' }],
      checklist: ['生产许可'],
      entityScope: 'in_scope',
      createdBy: `officer:${input.agencyCode}`,
      createdAt: start,
      updatedAt: start,
      ...input,
    })
    .returning();
  return row!;
}
