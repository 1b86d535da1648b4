import { declareNoPenaltyGround } from '../../declarations/no-penalty.js';
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../../auth/principal.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { codeScans, inspectionCodes } from '../../db/schema/index.js';
import { followUpDueOf, normaliseOutcome, type Outcome } from '../outcome.js';
import { raiseFlag, type FlagInput } from '../../flags/raise.js';
import { findAgency } from '../../registry/agencies.repository.js';
import { publishedMatterOn } from '../../registry/matters.repository.js';
import { openReferralsFromFindings } from '../../referrals/open.js';
import type { FindingsInput } from '../findings-input.js';
import type { InspectionHooks } from '../hooks.js';
import { outsideOrder } from '../order-scope.js';
import type { Inspection, NewInspection } from '../repository.js';
import { stepInspection } from './lifecycle.js';
import { recognisedResults, type RecognisedResult } from '../recognised-results.js';
import { noteFollowUpRecorded } from '../../flags/follow-up-recorded.js';

export type { FindingsInput };

/** Art. 20: the outcome checked against the item results and normalised (several kinds, `kind` the most serious). */
function validate(f: FindingsInput): FindingsInput & { outcome: Outcome } {
  const violations = f.items.filter((x) => x.result === 'violation').length;
  return { ...f, outcome: normaliseOutcome(f.outcome, violations, 'body.outcome') };
}

/** Whether the visit's code was scanned on entry (Art. 17(2)); `which` is the visit's lead row or its code. */
export async function wasScanned(tx: Db, which: { inspectionId: string } | { code: string | null }): Promise<boolean> {
  if ('code' in which && !which.code) return false;
  const rows = await tx
    .select({ id: codeScans.id })
    .from(codeScans)
    .innerJoin(inspectionCodes, eq(inspectionCodes.code, codeScans.code))
    .where(and('code' in which ? eq(inspectionCodes.code, which.code!) : eq(inspectionCodes.inspectionId, which.inspectionId), eq(codeScans.accepted, true)))
    .limit(1);
  return rows.length > 0;
}

/** What a part's row records with its findings (Art. 18(4), 20): the findings, the outcome, the follow-up due. */
export function findingsPatch(f: FindingsInput, at: Date): Partial<NewInspection> {
  const outcome = f.outcome as Outcome;
  return { findings: f, findingsAt: at, outcome, followUpDue: followUpDueOf(outcome) };
}

/**
 * What follows a part's findings, for a single inspection and each unit of a joint visit alike: Art. 23's
 * referrals of what was found outside the unit's jurisdiction, and Art. 20 ¶3's no-penalty ground.
 */
export async function afterFindings(tx: Db, scope: CommandScope, actor: Principal, part: Inspection, f: FindingsInput): Promise<void> {
  await openReferralsFromFindings(tx, scope, actor, part, f.outOfJurisdiction ?? []);
  await declareNoPenaltyGround(tx, scope, actor, part, f.outcome);
}

const sameText = (a: string, b: string) => a.normalize('NFKC').replace(/\s+/g, '') === b.normalize('NFKC').replace(/\s+/g, '');

/**
 * Whether an earlier recognised test tested what this one tests: the same product, and the same batch where the
 * earlier one recorded a batch. Without a product on either side nothing shows the two tests are of one thing.
 */
function sameItemTested(earlier: RecognisedResult, now: { product?: string; batch?: string }): boolean {
  if (!earlier.product || !now.product?.trim() || !sameText(earlier.product, now.product)) return false;
  if (!earlier.batch) return true;
  return !!now.batch?.trim() && sameText(earlier.batch, now.batch);
}

/** Detectors that read the findings: CODE_NOT_SCANNED, COST_SHIFTED, REPEATED_TESTING. */
async function findingsFlags(tx: Db, i: Inspection, f: FindingsInput, resultsDays: number): Promise<Omit<FlagInput, 'subjectType' | 'subjectId' | 'agencyCode' | 'enterpriseCode' | 'districtCode'>[]> {
  const out: Omit<FlagInput, 'subjectType' | 'subjectId' | 'agencyCode' | 'enterpriseCode' | 'districtCode'>[] = [];
  // Outside the Order (Art. 2 ¶2, 4) there is no code to scan, and no Order detector applies.
  if (outsideOrder(i)) return out;
  if (i.mode === 'onsite' && i.kind !== 'case' && !(await wasScanned(tx, { inspectionId: i.id }))) {
    out.push({ rule: 'CODE_NOT_SCANNED', observed: 'no accepted scan', limit: 'scan on entry', detail: '记录检查情况前未出示检查码并扫码' });
  }
  if (f.sampling?.costBorneBy === 'enterprise') {
    out.push({ rule: 'COST_SHIFTED', observed: f.sampling, limit: 'paid by the agency', detail: `抽样检验费用记为由企业承担（${f.sampling.amountYuan ?? '金额未填'}元），应由行政执法主体支付` });
  }
  // Art. 40(7) forbids repeating a test (重复检验、检疫、检测或者技术鉴定), except of food, drugs and like products.
  // A repeat is a test of the same product and batch that another agency or a platform already tested recently
  // (the results Art. 24 has the platforms share); a test of another product or batch of the same matter is a new
  // test. An earlier test that recorded no product proves no repeat (docs/COMPLIANCE.md, 第四十条).
  const tested = f.sampling && f.sampling.samples > 0 ? f.sampling : undefined;
  const earlierTests = tested ? (await recognisedResults(tx, i, resultsDays)).filter((r) => r.tested && sameItemTested(r, tested)) : [];
  if (f.sampling?.repeatOfEarlierTest || earlierTests.length > 0) {
    const foodDrug: boolean[] = [];
    for (const c of i.matterCodes) foodDrug.push((await publishedMatterOn(tx, i.agencyCode, c, i.countedDate))?.foodDrug ?? false);
    if (!foodDrug.some(Boolean)) {
      const earlier = earlierTests[0];
      const by = earlier ? ((await findAgency(tx, earlier.agencyCode))?.name ?? earlier.agencyCode) : '';
      const item = `${earlier?.product ?? tested?.product ?? ''}${(earlier?.batch ?? tested?.batch) ? `（批次 ${earlier?.batch ?? tested?.batch}）` : ''}`;
      const detail = earlier
        ? `重复检验检测：${by}已于${earlier.countedDate}${earlier.sourceSystem ? `在上级平台（来源系统 ${earlier.sourceSystem}，编号 ${earlier.sourceId}）` : ''}检测同一产品${item}，本次再次检测，该产品不属于直接涉及人民群众健康的食品药品等产品，违反第四十条第（七）项“禁止重复检验、检疫、检测或者技术鉴定”。前次结果系第二十四条所称检查结果互认的信息`
        : `执法人员记录本次为重复检验检测${item ? `（${item}）` : ''}，该事项不属于直接涉及人民群众健康的食品药品等产品，违反第四十条第（七）项“禁止重复检验、检疫、检测或者技术鉴定”`;
      out.push({ rule: 'REPEATED_TESTING', observed: { sampling: f.sampling, earlierTests: earlierTests.map((r) => ({ inspectionId: r.inspectionId, product: r.product, batch: r.batch })) }, limit: 'no repeated test of the same product and batch, except food and drugs', detail });
    }
  }
  return out;
}

export async function recordFindings(
  tx: Db,
  scope: CommandScope,
  actor: Principal,
  id: string,
  f: FindingsInput,
  hooks: InspectionHooks,
  resultsRecognisedDays: number,
): Promise<{ inspection: Inspection; flags: string[] }> {
  f = validate(f);
  const raised: string[] = [];
  const inspection = await stepInspection(tx, scope, actor, id, {
    event: { type: 'RECORD_FINDINGS' },
    action: 'inspection.findings_recorded',
    patch: (_i, at) => findingsPatch(f, at),
    check: async (t, i, at) => {
      const agency = await findAgency(t, i.agencyCode);
      for (const flag of await findingsFlags(t, i, f, resultsRecognisedDays)) {
        const flagId = await raiseFlag(t, at, { sub: actor.sub, role: actor.role }, {
          ...flag,
          subjectType: 'inspection',
          subjectId: i.id,
          agencyCode: i.agencyCode,
          enterpriseCode: i.enterpriseCode,
          districtCode: agency?.districtCode ?? null,
        });
        if (flagId) raised.push(flag.rule);
      }
      // A follow-up's findings bring an earlier RECTIFICATION_NO_FOLLOWUP on the order up to date (Art. 20 ¶2).
      if (i.followUpOf) await noteFollowUpRecorded(t, at, { sub: actor.sub, role: actor.role }, i.followUpOf, i.id);
    },
    payload: f,
  }, hooks);
  await afterFindings(tx, scope, actor, inspection, f);
  return { inspection, flags: raised };
}

