import type { RuleResult } from '../rules/result.js';
import { RoutineWithoutPlan } from '../rules/declarations/plans.js';
import type { FiledItem } from './plan-versions.repository.js';

/**
 * Does a plan item cover this routine inspection (Art. 13, 16)? An item states a matter, a method
 * (现场 / 非现场), its targets (named enterprises, or a class sampled at a ratio) and a frequency per
 * enterprise per year; an inspection is covered only by an item all four fit. Pure: the counts come from
 * coverage-facts.ts, read in the issuing transaction.
 */
export interface CoverageQuestion {
  matterCode: string;
  mode: 'onsite' | 'offsite';
  enterpriseCode: string;
  year: number;
  /** Art. 32: an on-site visit following up an off-site item, with why off-site cannot reach the aim. */
  offsiteFollowUpReason?: string | null;
}

export interface CoverageUsage {
  /** This agency's counted routine inspections of this enterprise, matter and method in the year (others). */
  sameEnterprise: number;
  /** Distinct other enterprises it inspected for this matter and method in the year. */
  otherEnterprises: number;
  /** Enterprises in scope within the agency's territory: the class a class item samples from. */
  population: number;
  /** Exact populations of class items whose class is a filter, by item id (src/proposals/class-population.ts). */
  classPopulations?: Record<string, number>;
}

export const MODE_ZH = { onsite: '现场检查', offsite: '非现场检查' } as const;

/** How many enterprises a class item may reach: the stated ratio of the population, at least one. */
export const sampleSize = (ratio: number, population: number) => Math.max(1, Math.ceil(ratio * population - 1e-9));

/** Why `item` does not cover the inspection, in zh, or null when it does. */
export function whyNotCovered(item: FiledItem, q: CoverageQuestion, u: CoverageUsage): string | null {
  // Art. 32: 非现场检查不能或者难以达到行政检查目的的，应当及时进行现场检查 — an off-site item covers the on-site
  // follow-up its own inspection needs, when the reason is stated; the item's targets and frequency still apply.
  const followsUpOffsite = item.method === 'offsite' && q.mode === 'onsite' && Boolean(q.offsiteFollowUpReason?.trim());
  if (item.method !== q.mode && !followsUpOffsite) {
    const hint = item.method === 'offsite' ? '；非现场检查不能或者难以达到检查目的的，可载明理由后及时进行现场检查（第三十二条）' : '';
    return `计划所列检查方式为${MODE_ZH[item.method]}，不涵盖${MODE_ZH[q.mode]}（第十六条）${hint}`;
  }
  if (item.targetKind === 'named' && !item.targetEnterprises.includes(q.enterpriseCode)) {
    return `企业 ${q.enterpriseCode} 不在计划所列检查对象名单内`;
  }
  if (item.targetKind === 'class' && u.sameEnterprise === 0) {
    const population = u.classPopulations?.[item.id] ?? u.population;
    const cap = sampleSize(Number(item.samplingRatio ?? 0), population);
    if (u.otherEnterprises >= cap) {
      return `计划按检查比例 ${Number(item.samplingRatio)} 抽查“${item.targetClass ?? ''}”（${population} 户中至多 ${cap} 户），本年度已检查 ${u.otherEnterprises} 户`;
    }
  }
  if (u.sameEnterprise >= item.frequency) return `计划检查频次为每户每年 ${item.frequency} 次，本年度已对该企业检查 ${u.sameEnterprise} 次`;
  return null;
}

export type ItemPick = { item: FiledItem } | { refusal: RuleResult };

/** The first item of the matter that covers the inspection, or a refusal naming why none does. */
export function pickCoveringItem(items: readonly FiledItem[], q: CoverageQuestion, u: CoverageUsage): ItemPick {
  const reasons: string[] = [];
  for (const item of items) {
    const why = whyNotCovered(item, q, u);
    if (why === null) return { item };
    reasons.push(why);
  }
  const detail = `${q.year}年度日常检查计划中检查事项 ${q.matterCode} 的计划内容不涵盖本次检查：${[...new Set(reasons)].join('；')}（第十三条）`;
  return {
    refusal: RoutineWithoutPlan.fail({ matterCode: q.matterCode, mode: q.mode, enterpriseCode: q.enterpriseCode, ...u }, 'a plan item whose method, targets and frequency fit', detail),
  };
}
