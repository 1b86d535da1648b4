import { and, count, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, ne, notExists, or, sql } from 'drizzle-orm';
import { union } from 'drizzle-orm/pg-core';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { underOrderSql } from '../visits/order-scope.js';
import {
  agencies,
  districts,
  flags,
  inspections,
  jointTaskParts,
  jointTasks,
  jointVisits,
  plans,
  referrals,
} from '../db/schema/index.js';
import { dutyStatus } from '../plans/annual-duty.js';
import { planDeadline } from '../plans/plans.repository.js';
import { ruleDef, type RuleId } from '../rules/catalog.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { flagConditions } from './flags.repository.js';
import { ratio, yearCounts, type YearCounts } from './dashboard-counts.js';
import { supervisedDistrict, withinJurisdiction } from './jurisdiction.js';

/**
 * The supervisors' dashboard for one year (Art. 6, 8, 13, 15, 17, 23, 26), scoped to the jurisdiction.
 * An inspection counts in the year of its counted date once it has a code or has been carried out
 * (code issued, in progress, findings recorded, notified, closed, archived); drafts, approved schemes
 * without a code, cancelled and merged ones do not. `recorded`: an inspection an upper-level platform reported
 * (src/exchange/imports.ts, Art. 24, 29), carried out there and counted here like a local one.
 */
export const CARRIED_OUT = ['code_issued', 'in_progress', 'findings_recorded', 'result_notified', 'closed', 'archived', 'recorded'];

export async function dashboard(db: Db, p: Principal, year: number, now: Date) {
  // One connection for the whole answer, its cards one after another: a dashboard never holds more than one of the
  // pool's connections (at 10 M rows ten concurrent cards starved every other request, docs/BENCHMARKS.md), and one
  // read-only snapshot makes the cards agree with each other.
  return db.transaction((tx) => dashboardIn(tx as unknown as Db, p, year, now), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

async function dashboardIn(db: Db, p: Principal, year: number, now: Date) {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const district = supervisedDistrict(p);
  const inScope = withinJurisdiction(db, p, inspections.agencyCode);
  const inYear = and(gte(inspections.countedDate, from), lte(inspections.countedDate, to));
  // Only inspections under the Order are its statistics (Art. 2 ¶2, 4: excluded relations and entities).
  const carriedOut = and(inScope, inYear, inArray(inspections.state, CARRIED_OUT), underOrderSql());
  const counts = await yearCounts(db, p, from, to, now);
  const flagRules = await db.select({ rule: flags.rule, n: count() }).from(flags).where(flagConditions(db, p, { from, to })).groupBy(flags.rule).orderBy(desc(count()), flags.rule);
  const flagAgencies = await db
    .select({ agencyCode: flags.agencyCode, agencyName: agencies.name, n: count() })
    .from(flags)
    .leftJoin(agencies, eq(agencies.code, flags.agencyCode))
    .where(flagConditions(db, p, { from, to }))
    .groupBy(flags.agencyCode, agencies.name)
    .orderBy(desc(count()), flags.agencyCode);
  const flagStates = await db.select({ state: flags.state, n: count() }).from(flags).where(flagConditions(db, p, { from, to })).groupBy(flags.state);
  const planRows = await db
    .select({
      code: agencies.code,
      name: agencies.name,
      state: plans.state,
      filedAt: plans.filedAt,
      filedLate: plans.filedLate,
      submittedOn: plans.submittedOn,
      submittedLate: plans.submittedLate,
      resubmitBy: plans.resubmitBy,
      deadline: plans.deadline,
      filingBureauCode: plans.filingBureauCode,
      createdAt: agencies.createdAt,
    })
    .from(agencies)
    .leftJoin(plans, and(eq(plans.agencyCode, agencies.code), eq(plans.year, year)))
    // Agencies with the 31 March duty (annual-duty.ts hasAnnualDuty): active, of Wuhan (第二条); registered after 31 March: below.
    .where(
      and(
        eq(agencies.isJusticeBureau, false),
        eq(agencies.active, true),
        notExists(db.select({ one: sql`1` }).from(districts).where(and(eq(districts.code, agencies.districtCode), eq(districts.kind, 'outside')))),
        district ? eq(agencies.districtCode, district) : undefined,
      ),
    )
    .orderBy(agencies.code);
  const referral = await overdueReferrals(db, p, year, shanghaiDate(now));
  const joint = await jointRate(db, p, counts, carriedOut, from, to);
  const districtRow = district ? await db.select().from(districts).where(eq(districts.code, district)) : [];

  const n = (rows: { n: number }[]) => rows.reduce((s, r) => s + Number(r.n), 0);
  // The 31 March duty is the agency's submission (annual-duty.ts); the bureau's filing pace is its own.
  const today = shanghaiDate(now);
  const status = (r: (typeof planRows)[number]) => dutyStatus(r.state === null ? null : (r as Parameters<typeof dutyStatus>[0] & object), planDeadline(year), today);
  const onTime = planRows.filter((r) => status(r) === 'on_time');
  const late = planRows.filter((r) => status(r) === 'late');
  // Registered after 31 March of the year: no duty that year (hasAnnualDuty), listed apart, never as 未报送.
  const registeredLate = (r: (typeof planRows)[number]) => shanghaiDate(r.createdAt) > planDeadline(year);
  const missing = planRows.filter((r) => !registeredLate(r) && (status(r) === 'missing' || status(r) === 'not_due'));
  const newAgencies = planRows.filter((r) => registeredLate(r) && !r.submittedOn);
  // Submitted and waiting on the bureau's first filing: the bureau's queue, not the agency's violation.
  const bureauPending = planRows.filter((r) => r.state === 'submitted' && r.filedAt === null);
  const backlog = await bureauBacklog(db, bureauPending, today);
  return {
    year,
    jurisdiction: { district: district ?? null, name: district ? (districtRow[0]?.name ?? district) : '武汉市（全市）' },
    inspections: {
      total: counts.byKind.reduce((s, r) => s + r.count, 0),
      byKind: counts.byKind,
      byAgency: counts.byAgency,
    },
    scanRate: counts.scanRate,
    flags: {
      total: n(flagRules),
      open: Number(flagStates.find((s) => s.state === 'open')?.n ?? 0),
      byRule: flagRules.map((r) => ({ rule: r.rule, titleZh: ruleDef(r.rule as RuleId)?.titleZh ?? r.rule, count: Number(r.n) })),
      byAgency: flagAgencies.map((r) => ({ agencyCode: r.agencyCode, agencyName: r.agencyName, count: Number(r.n) })),
    },
    plans: {
      agencies: planRows.length,
      /** Judged by the agency's submission (Art. 13), not by when the bureau filed. */
      onTime: onTime.length,
      late: late.length,
      missing: missing.length,
      awaitingFiling: planRows.filter((r) => r.state === 'submitted').length,
      missingAgencies: missing.map((r) => ({ agencyCode: r.code, agencyName: r.name, state: r.state ?? null })),
      /** Registered after 31 March of the year and not yet reporting: no duty that year (issue 22, point 11). */
      registeredAfterDeadline: newAgencies.map((r) => ({ agencyCode: r.code, agencyName: r.name })),
      /** The bureau's side (Art. 14 ¶1): plans submitted and not yet filed, and first filings after 31 March. */
      bureau: {
        pending: bureauPending.length,
        // Every plan still waiting for the bureau is past the 31 March line once that day has gone.
        pendingPastDeadline: today > planDeadline(year) ? bureauPending.length : 0,
        filedAfterDeadline: planRows.filter((r) => r.filedAt !== null && r.filedLate && !r.submittedLate).length,
        pendingPlans: bureauPending.map((r) => ({ agencyCode: r.code, agencyName: r.name, submittedOn: r.submittedOn, filingBureauCode: r.filingBureauCode })),
        /**
         * Each filing bureau's backlog, for the bureau above it (Art. 6 ¶3, 14 ¶1): a reported plan covers routine
         * inspections while it waits (src/plans/filed-plan.ts), so the bureau's delay is shown here, against the bureau.
         */
        backlog,
      },
    },
    jointRate: joint,
    overdueReferrals: referral,
  };
}

/** Plans waiting on each filing bureau: how many, and since when (the oldest submission), in calendar days. */
async function bureauBacklog(db: Db, pending: readonly { filingBureauCode: string | null; submittedOn: string | null }[], today: string) {
  const byBureau = new Map<string, { pending: number; oldestSubmittedOn: string | null }>();
  for (const r of pending) {
    const key = r.filingBureauCode ?? '';
    const cur = byBureau.get(key) ?? { pending: 0, oldestSubmittedOn: null };
    cur.pending += 1;
    if (r.submittedOn && (cur.oldestSubmittedOn === null || r.submittedOn < cur.oldestSubmittedOn)) cur.oldestSubmittedOn = r.submittedOn;
    byBureau.set(key, cur);
  }
  const codes = [...byBureau.keys()].filter((c) => c !== '');
  const names = codes.length ? await db.select({ code: agencies.code, name: agencies.name }).from(agencies).where(inArray(agencies.code, codes)) : [];
  const nameOf = new Map(names.map((n) => [n.code, n.name]));
  const days = (from: string) => Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  return [...byBureau.entries()]
    .map(([code, v]) => ({
      bureauCode: code || null,
      bureauName: code ? (nameOf.get(code) ?? code) : null,
      pending: v.pending,
      oldestSubmittedOn: v.oldestSubmittedOn,
      longestWaitDays: v.oldestSubmittedOn ? days(v.oldestSubmittedOn) : null,
    }))
    .sort((x, y) => y.pending - x.pending || String(x.bureauCode).localeCompare(String(y.bureauCode)));
}

/**
 * 综合查一次 rate (Art. 26): joint visits (one code, several agencies) ÷ all on-site visits, where a
 * joint visit counts once although each participating agency has an inspection row for it.
 */
async function jointRate(db: Db, p: Principal, counts: YearCounts, carriedOut: ReturnType<typeof and>, from: string, to: string) {
  // A joint visit imported from an upper-level platform (src/exchange): the lead's row, whose cooperating parts are
  // rows keyed `<its source id>#<agency>`, counts as one joint visit; the parts are not visits of their own.
  const importedPart = sql`(${inspections.sourceSystem} IS NOT NULL AND strpos(${inspections.sourceId}, '#') > 0)`;
  const importedLead = sql`(${inspections.sourceSystem} IS NOT NULL AND EXISTS (SELECT 1 FROM inspections part WHERE part.source_system = ${inspections.sourceSystem} AND starts_with(part.source_id, ${inspections.sourceId} || '#')))`;
  const onsite = and(carriedOut, eq(inspections.mode, 'onsite'));
  const [joint] = await db
    .select({ n: count() })
    .from(jointVisits)
    .innerJoin(jointTasks, eq(jointTasks.id, jointVisits.taskId))
    .where(
      and(
        withinJurisdiction(db, p, jointTasks.leadAgencyCode),
        gte(jointTasks.countedDate, from),
        lte(jointTasks.countedDate, to),
        ne(jointTasks.state, 'cancelled'),
        isNotNull(jointVisits.code),
        isNull(jointVisits.cancelledAt),
      ),
    );
  // Single visits: every on-site visit carried out (from the counts) less the few that are parts of a joint task or
  // imported joint rows, found from the joint parts and from the imported rows (inspections_source_uq), not the year.
  const partOfJoint = db.select({ id: inspections.id }).from(jointTaskParts).innerJoin(inspections, eq(inspections.id, jointTaskParts.inspectionId)).where(onsite);
  const imported = db
    .select({ id: inspections.id })
    .from(inspections)
    .where(and(onsite, isNotNull(inspections.sourceSystem), sql`(NOT ${importedPart} AND NOT ${importedLead}) IS NOT TRUE`));
  const [notSingle] = await db.select({ n: count() }).from(union(partOfJoint, imported).as('not_single'));
  const [importedJoint] = await db.select({ n: count() }).from(inspections).where(and(onsite, isNotNull(inspections.sourceSystem), importedLead));
  const single = counts.onsite - Number(notSingle?.n ?? 0);
  const jointVisitCount = Number(joint?.n ?? 0) + Number(importedJoint?.n ?? 0);
  const onsiteVisits = jointVisitCount + single;
  return { jointVisits: jointVisitCount, onsiteVisits, rate: ratio(jointVisitCount, onsiteVisits) };
}

/**
 * Referrals (Art. 23) found in the year by agencies of the jurisdiction that are overdue: still unsent
 * after their due date, or flagged REFERRAL_OVERDUE (sent late, or caught by the sweeper).
 */
async function overdueReferrals(db: Db, p: Principal, year: number, today: string) {
  const scope = and(withinJurisdiction(db, p, referrals.agencyCode), gte(referrals.foundOn, `${year}-01-01`), lte(referrals.foundOn, `${year}-12-31`));
  const flagged = db
    .select({ id: flags.subjectId })
    .from(flags)
    .where(and(eq(flags.rule, 'REFERRAL_OVERDUE'), eq(flags.subjectType, 'referral')));
  const [overdue] = await db
    .select({ n: count() })
    .from(referrals)
    .where(and(scope, or(and(eq(referrals.state, 'opened'), lt(referrals.dueDate, today)), inArray(sql`${referrals.id}::text`, flagged))));
  const [total] = await db.select({ n: count() }).from(referrals).where(scope);
  return { overdue: Number(overdue?.n ?? 0), total: Number(total?.n ?? 0) };
}
