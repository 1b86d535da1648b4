import { randomUUID } from 'node:crypto';
import type { Db } from '../src/db/client.js';
import { frequencyRules, noDisturbList } from '../src/db/schema/index.js';

/**
 * Demo frequency caps (Art. 15, 40(10)) and 无事不扰 entries. The issuers are the real kinds of authority
 * that publish such caps; every document number below is a DEMO VALUE (示范文号), not a real document.
 */
type RuleSeed = Omit<typeof frequencyRules.$inferInsert, 'id' | 'createdAt' | 'effectiveFrom'>;

const CITY_GOV = { issuerLevel: 'city' as const, issuerName: '武汉市人民政府办公厅' };

export const DEMO_FREQUENCY_RULES: RuleSeed[] = [
  // The general cap: each agency inspects one enterprise in routine/special inspections at most twice a year.
  { ...CITY_GOV, documentNo: '武政办〔2025〕XX号（示范）', scopeKind: 'agency', scopeValue: null, period: 'year', maxCount: 2 },
  // Graded by risk/credit class: the lowest-risk enterprises (A) at most once a year.
  { ...CITY_GOV, documentNo: '武政办〔2025〕XX号（示范）', scopeKind: 'agency', scopeValue: null, period: 'year', maxCount: 1, riskClass: 'A' },
  // A matter-scoped cap from the provincial regulator: food production inspections at most once a quarter.
  {
    issuerLevel: 'province',
    issuerName: '湖北省市场监督管理局',
    documentNo: '鄂市监食生〔2025〕XX号（示范）',
    scopeKind: 'matter',
    scopeValue: 'SCJG-001',
    period: 'quarter',
    maxCount: 1,
  },
  // A domain-wide cap for work safety from the provincial department.
  {
    issuerLevel: 'province',
    issuerName: '湖北省应急管理厅',
    documentNo: '鄂应急〔2025〕XX号（示范）',
    scopeKind: 'domain',
    scopeValue: 'work_safety',
    period: 'year',
    maxCount: 2,
  },
  // Case inspections have no cap; more than three by one agency at one enterprise in a quarter goes to the supervisors.
  { ...CITY_GOV, kind: 'case_anomaly', documentNo: '武政办〔2025〕XX号（示范）', scopeKind: 'agency', scopeValue: null, period: 'quarter', maxCount: 3 },
];

export interface DemoEnterprise {
  creditCode: string;
  riskClass: string | null;
  scope: string;
}

/**
 * Loads the rules, in force from `effectiveFrom`, and lists the first two in-scope class-A enterprises as
 * 无事不扰 (every agency) — what a district would do for its most reliable enterprises.
 */
export async function seedFrequencyRules(
  tx: Db,
  at: Date,
  effectiveFrom: string,
  enterprises: readonly DemoEnterprise[],
): Promise<{ frequencyRules: number; noDisturb: number }> {
  await tx.insert(frequencyRules).values(DEMO_FREQUENCY_RULES.map((r) => ({ ...r, id: randomUUID(), effectiveFrom, createdAt: at })));
  const quiet = enterprises.filter((e) => e.riskClass === 'A' && e.scope === 'in_scope').slice(0, 2);
  if (quiet.length) {
    await tx.insert(noDisturbList).values(
      quiet.map((e) => ({
        id: randomUUID(),
        enterpriseCode: e.creditCode,
        agencyCode: null,
        fromDate: effectiveFrom,
        reason: '连续三年信用评价A级、无行政处罚记录，列入“无事不扰”企业清单（示范）',
        basis: '武汉市人民政府办公厅“无事不扰”企业清单（示范文件）',
        listedBy: 'system:seed',
        createdAt: at,
      })),
    );
  }
  return { frequencyRules: DEMO_FREQUENCY_RULES.length, noDisturb: quiet.length };
}
