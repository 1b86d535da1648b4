import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies, enterprises, jointProposals, jointProposalUnits, planItems, plans } from '../db/schema/index.js';
import type { CommandScope } from '../commands/command.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { publishedJointLists } from '../visits/joint/lists.repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { matchPeriod, type MatchEnterprise, type MatchResult } from './matcher.js';
import { PROPOSAL_SETTINGS } from './settings.js';

/** `2026Q2` → its first and last Shanghai dates. */
export function quarterRange(period: string): { year: number; from: string; to: string } {
  const m = /^(\d{4})Q([1-4])$/.exec(period);
  if (!m) throw new Error(`not a quarter: ${period}`);
  const year = Number(m[1]);
  const q = Number(m[2]);
  const mm = (n: number) => String(n).padStart(2, '0');
  const last = new Date(Date.UTC(year, q * 3, 0)).getUTCDate();
  return { year, from: `${year}-${mm(q * 3 - 2)}-01`, to: `${year}-${mm(q * 3)}-${mm(last)}` };
}

// Rows per page: one round trip per 2,000 enterprises (300 per pass at 600 k) keeps the query count low while a
// page of five short columns stays a few hundred kilobytes.
const PAGE = 2000;

/**
 * The registry's facts the matcher reads, streamed in keyset pages by credit code (the primary key, so each
 * page is an index range scan, never an OFFSET): at most one page is in memory, whatever the register's size.
 * Each call starts a fresh scan, as the matcher's passes ask.
 */
async function* registryFacts(db: Db): AsyncGenerator<MatchEnterprise> {
  let after = '';
  for (;;) {
    const rows = await db
      .select({ creditCode: enterprises.creditCode, districtCode: enterprises.districtCode, industryCode: enterprises.industryCode, licenceKinds: enterprises.licenceKinds, riskClass: enterprises.riskClass })
      .from(enterprises)
      .where(and(gt(enterprises.creditCode, after), inArray(enterprises.scope, ['in_scope', 'by_reference'])))
      .orderBy(asc(enterprises.creditCode))
      .limit(PAGE);
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.creditCode;
  }
}

export interface MatchRun {
  period: string;
  seed: string;
  created: string[];
  result: Omit<MatchResult, 'perEnterprise'>;
}

/**
 * Matches a quarter from the filed plans and the published joint lists and writes one proposal per visit
 * found (once: re-running proposes nothing twice), each with its audit entry carrying the seed.
 */
export async function runMatch(tx: Db, scope: CommandScope, calendar: WorkingCalendar, teamMax: number, period: string, seedIn?: string): Promise<MatchRun> {
  const { year, from, to } = quarterRange(period);
  const seed = seedIn ?? randomBytes(8).toString('hex');
  const today = shanghaiDate(scope.at);
  const respondByDay = calendar.addWorkingDays(today, PROPOSAL_SETTINGS.responseDays);
  const days: string[] = [];
  for (let d = from > respondByDay ? from : calendar.addWorkingDays(respondByDay, 1); d <= to; d = calendar.addWorkingDays(d, 1)) days.push(d);

  const itemRows = await tx
    .select({ item: planItems, agencyCode: plans.agencyCode })
    .from(planItems)
    .innerJoin(plans, eq(plans.id, planItems.planId))
    .where(and(eq(plans.year, year), inArray(plans.state, ['filed', 'published'])));
  const territories: Record<string, string | null> = {};
  for (const a of await tx.select({ code: agencies.code, districtCode: agencies.districtCode }).from(agencies)) territories[a.code] = a.districtCode;
  const entries = (await publishedJointLists(tx)).flatMap((l) => l.entries.map((entry) => ({ listId: l.id, listVersion: l.listVersion, districtCode: l.level === 'district' ? l.districtCode : null, entry })));
  const result = await matchPeriod(
    {
      period,
      seed,
      days,
      perUnitPerDay: PROPOSAL_SETTINGS.perUnitPerDay,
      teamMax: teamMax,
      territories,
      entries,
      items: itemRows.map(({ item, agencyCode }) => ({
        agencyCode,
        itemId: item.id,
        matterCode: item.matterCode,
        method: item.method,
        targetKind: item.targetKind,
        targetEnterprises: item.targetEnterprises,
        classFilter: item.classFilter ?? null,
        samplingRatio: item.samplingRatio,
      })),
    },
    () => registryFacts(tx),
  );

  const created: string[] = [];
  const respondBy = new Date(`${respondByDay}T18:00:00+08:00`);
  for (const p of result.proposals) {
    if (!p.day) continue;
    const id = randomUUID();
    const [row] = await tx
      .insert(jointProposals)
      .values({
        id,
        period,
        source: 'plan',
        enterpriseCode: p.enterpriseCode,
        districtCode: p.districtCode,
        listId: p.listId,
        listVersion: p.listVersion,
        entryCode: p.entryCode,
        leadAgencyCode: p.leadAgencyCode,
        windowStart: new Date(`${p.day}T09:00:00+08:00`),
        windowEnd: new Date(`${p.day}T12:00:00+08:00`),
        teamMax: teamMax,
        formLines: p.formLines,
        seed: p.drawn ? seed : null,
        separateVisits: p.separateVisits,
        state: 'open',
        respondBy,
        createdAt: scope.at,
        updatedAt: scope.at,
      })
      .onConflictDoNothing()
      .returning({ id: jointProposals.id });
    if (!row) continue;
    await tx.insert(jointProposalUnits).values(p.units.map((u) => ({ proposalId: id, agencyCode: u.agencyCode, role: u.role, matterCodes: u.matterCodes, planItemIds: u.planItemIds, state: 'pending' as const })));
    await scope.audit({
      action: 'joint_proposal.proposed',
      subjectType: 'joint_proposal',
      subjectId: id,
      agencyCode: p.leadAgencyCode,
      enterpriseCode: p.enterpriseCode,
      districtCode: p.districtCode,
      before: null,
      after: 'open',
      payload: { period, source: 'plan', seed: p.drawn ? seed : null, entryCode: p.entryCode, units: p.units, day: p.day },
    });
    created.push(id);
  }
  const { perEnterprise: _p, ...summary } = result;
  return { period, seed, created, result: summary };
}
