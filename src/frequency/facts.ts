import { visibleToEnterpriseSql } from '../visits/enterprise-disclosure.js';
import { and, asc, desc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { underOrderSql } from '../visits/order-scope.js';
import { enterprises, frequencyRules, inspectionMatters, inspections, noDisturbList } from '../db/schema/index.js';
import { publishedMatterOn } from '../registry/matters.repository.js';
import type { CountedInspection, FrequencyQuestion, FrequencyRuleData, NoDisturbEntry } from '../rules/declarations/frequency.js';
import { periodOf } from '../time/periods.js';

/**
 * Loads what FREQUENCY_CAP / CASE_FREQUENCY_ANOMALY (src/rules/declarations/frequency.ts) need, in the caller's transaction
 * (the code-issuing one passes `tx`, so the count and the insert see the same rows).
 */

/**
 * Inspection states that count toward caps: a code was issued or the inspection was recorded. Drafts,
 * refused and cancelled inspections never happened at the enterprise's door, so they do not count.
 */
export const COUNTED_STATES = ['code_issued', 'in_progress', 'findings_recorded', 'result_notified', 'closed', 'archived', 'recorded'] as const;

export interface FrequencyFactsQuery {
  enterpriseCode: string;
  /** The Shanghai date the new inspection would count on. */
  date: string;
  agencyCode: string;
  matterCode: string;
  /** The enterprise asking about itself: only inspections it may already see count in the answer (src/visits/enterprise-disclosure.ts). */
  enterpriseView?: Date;
}

export type FrequencyFacts = Omit<FrequencyQuestion, 'kind' | 'mode' | 'upperDeployed'>;

/** What the caller has already read in the same transaction (the code issuance's guard facts): not read again. */
export interface KnownFrequencyFacts {
  riskClass: string | null;
  /** The matter's domain from its version published on the date, when there is one. */
  domain?: string;
}

/** The frequency rules in force on `day`, oldest first (the query, so the code issuance can read it with its other facts). */
export const rulesInForceQuery = (db: Db, day: string) =>
  db
    .select()
    .from(frequencyRules)
    .where(and(lte(frequencyRules.effectiveFrom, day), or(isNull(frequencyRules.effectiveTo), gte(frequencyRules.effectiveTo, day))))
    .orderBy(asc(frequencyRules.createdAt), asc(frequencyRules.id));

export const toRuleData = (rows: (typeof frequencyRules.$inferSelect)[]): FrequencyRuleData[] => rows.map(({ createdAt: _c, issuerLevel: _l, ...r }) => r);

export const noDisturbQuery = (db: Db, enterpriseCode: string) => db.select().from(noDisturbList).where(eq(noDisturbList.enterpriseCode, enterpriseCode));

async function rulesInForce(db: Db, day: string): Promise<FrequencyRuleData[]> {
  return toRuleData(await rulesInForceQuery(db, day));
}

/** The matter's domain on that date (its published version), else its latest version's, else ''. */
async function domainOf(db: Db, agencyCode: string, matterCode: string, day: string): Promise<string> {
  const published = await publishedMatterOn(db, agencyCode, matterCode, day);
  if (published) return published.domain;
  const [latest] = await db
    .select({ domain: inspectionMatters.domain })
    .from(inspectionMatters)
    .where(and(eq(inspectionMatters.agencyCode, agencyCode), eq(inspectionMatters.matterCode, matterCode)))
    .orderBy(desc(inspectionMatters.version))
    .limit(1);
  return latest?.domain ?? '';
}

/**
 * The enterprise's counted inspections between `from` and `to` (index inspections_enterprise_date_idx): the
 * history the guard counts, and the one the sweeper's frequency detectors count each candidate over.
 */
export async function historyBetween(db: Db, enterpriseCode: string, from: string, to: string, enterpriseView?: Date): Promise<CountedInspection[]> {
  const rows = await historyQuery(db, enterpriseCode, from, to, enterpriseView);
  if (rows.length === 0) return [];
  return withDomains(rows, await matterDomainsQuery(db, rows));
}

type HistoryRow = Omit<CountedInspection, 'domains'>;

export const historyQuery = (db: Db, enterpriseCode: string, from: string, to: string, enterpriseView?: Date) =>
  db
    .select({
      id: inspections.id,
      agencyCode: inspections.agencyCode,
      matterCodes: inspections.matterCodes,
      countedDate: inspections.countedDate,
      kind: inspections.kind,
      mode: inspections.mode,
      countsTowardCap: inspections.countsTowardCap,
    })
    .from(inspections)
    .where(
      and(
        eq(inspections.enterpriseCode, enterpriseCode),
        gte(inspections.countedDate, from),
        lte(inspections.countedDate, to),
        inArray(inspections.state, [...COUNTED_STATES]),
        // An inspection outside the Order (Art. 2 ¶2, 4) counts toward none of its caps or anomalies.
        underOrderSql(),
        // A used count that rose when a code was issued would tell the enterprise of the visit ahead of it.
        enterpriseView ? visibleToEnterpriseSql(enterpriseView) : undefined,
      ),
    )
    .orderBy(asc(inspections.countedDate));

/** Domains come from the agencies' matter lists, for domain-scoped caps. */
const matterDomainsQuery = (db: Db, rows: readonly HistoryRow[]) =>
  db
    .selectDistinct({ agencyCode: inspectionMatters.agencyCode, matterCode: inspectionMatters.matterCode, domain: inspectionMatters.domain })
    .from(inspectionMatters)
    .where(
      and(
        inArray(inspectionMatters.agencyCode, [...new Set(rows.map((r) => r.agencyCode))]),
        inArray(inspectionMatters.matterCode, [...new Set(rows.flatMap((r) => r.matterCodes))]),
      ),
    );

/** Each history row with the domains its agency lists its matters under (`matters` may hold more pairs than the rows use). */
export function withDomains(rows: readonly HistoryRow[], matters: readonly { agencyCode: string; matterCode: string; domain: string }[]): CountedInspection[] {
  const domains = new Map<string, Set<string>>();
  for (const m of matters) {
    const key = `${m.agencyCode}\u0000${m.matterCode}`;
    domains.set(key, (domains.get(key) ?? new Set()).add(m.domain));
  }
  return rows.map((r) => ({
    ...r,
    domains: [...new Set(r.matterCodes.flatMap((c) => [...(domains.get(`${r.agencyCode}\u0000${c}`) ?? [])]))],
  }));
}

/** The days any rule in force may count over for `date`: from the widest period's start to its end (null: no rule, nothing counted). */
export function historySpan(rules: readonly FrequencyRuleData[], date: string): { from: string; to: string } | null {
  const periods = [...new Set(rules.map((r) => r.period))].map((p) => periodOf(date, p));
  return periods.length ? { from: periods.map((p) => p.start).sort()[0]!, to: periods.map((p) => p.end).sort().at(-1)! } : null;
}

/**
 * What the code issuance read with its other facts (src/visits/issue-facts.ts): every rule in force, the
 * no-disturb list, and the enterprise's counted history over a span wider than any period (trimmed here to
 * the span historyBetween would have read).
 */
export interface FrequencyReadAhead {
  rules: (typeof frequencyRules.$inferSelect)[];
  noDisturb: (typeof noDisturbList.$inferSelect)[];
  history: HistoryRow[];
  matters: { agencyCode: string; matterCode: string; domain: string }[];
}

export async function loadFrequencyFacts(db: Db, q: FrequencyFactsQuery, known?: KnownFrequencyFacts, ahead?: FrequencyReadAhead): Promise<FrequencyFacts> {
  // Sequential on purpose: called inside the issuing transaction, whose queries share one connection.
  const rules = ahead ? toRuleData(ahead.rules) : await rulesInForce(db, q.date);
  const noDisturbRows = ahead?.noDisturb ?? (await noDisturbQuery(db, q.enterpriseCode));
  const riskClass = known
    ? known.riskClass
    : ((await db.select({ riskClass: enterprises.riskClass }).from(enterprises).where(eq(enterprises.creditCode, q.enterpriseCode)))[0]?.riskClass ?? null);
  const domain = known?.domain ?? (await domainOf(db, q.agencyCode, q.matterCode, q.date));
  // Only the widest period any rule in force uses is read; with no rules nothing is counted.
  const span = historySpan(rules, q.date);
  const history = !span
    ? []
    : ahead && !q.enterpriseView
      ? withDomains(ahead.history.filter((h) => h.countedDate >= span.from && h.countedDate <= span.to), ahead.matters)
      : await historyBetween(db, q.enterpriseCode, span.from, span.to, q.enterpriseView);
  const noDisturb: NoDisturbEntry[] = noDisturbRows.map((n) => ({ agencyCode: n.agencyCode, fromDate: n.fromDate, toDate: n.toDate, reason: n.reason, basis: n.basis }));
  return {
    agencyCode: q.agencyCode,
    matterCode: q.matterCode,
    domain,
    riskClass,
    date: q.date,
    rules,
    history,
    noDisturb,
  };
}
