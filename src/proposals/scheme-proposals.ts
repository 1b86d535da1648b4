import { randomUUID } from 'node:crypto';
import { and, arrayContains, eq, gte, inArray, isNull, lte } from 'drizzle-orm';
import { CalendarService } from '../calendar/calendar-service.js';
import { CalendarYearUnpublishedError } from '../calendar/working-calendar.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { inspections, jointProposals, jointProposalUnits, jointTaskParts } from '../db/schema/index.js';
import { agencyNameOf } from '../registry/agencies.repository.js';
import { findEnterprise } from '../registry/enterprises.repository.js';
import { addDays, shanghaiDate } from '../time/shanghai-date.js';
import type { ProposalRef } from '../visits/coordination-advice.js';
import { mergeChecklist } from '../visits/joint/checklist.js';
import { otherAgenciesOnsiteVisits } from '../visits/joint/coordination-others.js';
import { publishedJointLists } from '../visits/joint/lists.repository.js';
import { lockEnterprise, type Inspection } from '../visits/repository.js';
import type { MatchEntry } from './matcher.js';
import { unitsOfProposal, type JointProposal } from './repository.js';
import { matchScheme, type SchemeVisit } from './scheme-matcher.js';
import { PROPOSAL_SETTINGS } from './settings.js';

/**
 * Proposals from schemes, as they are drafted (Art. 26: 应协同尽协同; Art. 28: 协同单位应当参与). When an
 * on-site routine or special visit is drafted, the other agencies' visits to the same enterprise that are
 * drafted or approved (not yet coded, closed or cancelled) and count within `schemeDays` of it are matched
 * (scheme-matcher.ts); a match becomes ONE proposal (source `scheme`) to every unit, answered through the same
 * accept/decline path as proposals from plans. Answered → launched: the units' own drafts are withdrawn
 * (scheme-closeout.ts).
 *
 * Once: the enterprise is locked (lockEnterprise) while its visits are matched, visits already named by an
 * open proposal are not matched again, an open proposal naming the same agencies is shown rather than
 * repeated, and a partial unique index keeps one open scheme proposal per enterprise and entry.
 */
export type SchemeDraft = Pick<Inspection, 'id' | 'agencyCode' | 'enterpriseCode' | 'mode' | 'kind' | 'matterCodes' | 'windowStart' | 'windowEnd' | 'countedDate'>;

// Drafted or approved: a visit with a code is fixed (it is made, or its code is revoked), so it is not proposed.
const PROPOSABLE_STATES = ['draft', 'approved'];

const quarterOf = (day: string) => `${day.slice(0, 4)}Q${Math.ceil(Number(day.slice(5, 7)) / 3)}`;

export async function proposalRef(db: Db, p: JointProposal, created: boolean): Promise<ProposalRef> {
  const units = await unitsOfProposal(db, p.id);
  const drafts = p.inspectionIds.length ? await db.select({ id: inspections.id, agencyCode: inspections.agencyCode }).from(inspections).where(inArray(inspections.id, p.inspectionIds)) : [];
  const out: ProposalRef['units'] = [];
  for (const u of units) out.push({ agencyCode: u.agencyCode, agencyName: await agencyNameOf(db, u.agencyCode), role: u.role, inspectionId: drafts.find((d) => d.agencyCode === u.agencyCode)?.id ?? null });
  return {
    id: p.id,
    source: p.source,
    state: p.state,
    created,
    enterpriseName: (await findEnterprise(db, p.enterpriseCode))?.name ?? p.enterpriseCode,
    entryCode: p.entryCode,
    leadAgencyCode: p.leadAgencyCode,
    units: out,
    windowStart: p.windowStart.toISOString(),
    windowEnd: p.windowEnd.toISOString(),
    respondBy: p.respondBy.toISOString(),
  };
}

/** Open proposals at the enterprise that name `agencyCode` as a unit. */
async function openProposalsOf(tx: Db, enterpriseCode: string, agencyCode: string): Promise<{ proposal: JointProposal; agencies: string[] }[]> {
  const mine = tx.select({ id: jointProposalUnits.proposalId }).from(jointProposalUnits).where(eq(jointProposalUnits.agencyCode, agencyCode));
  const rows = await tx.select().from(jointProposals).where(and(eq(jointProposals.enterpriseCode, enterpriseCode), eq(jointProposals.state, 'open'), inArray(jointProposals.id, mine)));
  const out = [];
  for (const proposal of rows) out.push({ proposal, agencies: (await unitsOfProposal(tx, proposal.id)).map((u) => u.agencyCode) });
  return out;
}

async function respondByFor(tx: Db, at: Date, windowStart: Date): Promise<Date> {
  const today = shanghaiDate(at);
  let day: string;
  try {
    // The calendar read through the transaction's own handle (PGlite has one connection).
    day = (await new CalendarService(tx).current()).addWorkingDays(today, PROPOSAL_SETTINGS.responseDays);
  } catch (e) {
    // A year without a published arrangement: calendar days, never fewer than the working days asked.
    if (!(e instanceof CalendarYearUnpublishedError)) throw e;
    day = addDays(today, PROPOSAL_SETTINGS.responseDays + 2);
  }
  const due = new Date(`${day}T18:00:00+08:00`);
  // An answer after the visit has begun is no answer: the units answer before the window opens.
  return due < windowStart ? due : windowStart;
}

/**
 * The proposals this visit made or is already part of (empty when nothing overlaps under a list entry). Run when
 * a visit is drafted, approved, or amended in draft (src/visits/joint/inspection-hooks.ts).
 */
export async function proposeFromScheme(tx: Db, scope: Pick<CommandScope, 'at' | 'audit'>, d: SchemeDraft, teamMax: number): Promise<ProposalRef[]> {
  if (d.mode !== 'onsite' || d.kind === 'case') return [];
  await lockEnterprise(tx, d.enterpriseCode);
  const open = await openProposalsOf(tx, d.enterpriseCode, d.agencyCode);
  const existing = async () => Promise.all(open.map((o) => proposalRef(tx, o.proposal, false)));
  // Once put to the units, a visit's answer stands: approving or amending it later proposes nothing new
  // (a new draft is never named yet, so drafting is unaffected).
  const named = await tx.select({ id: jointProposals.id }).from(jointProposals).where(arrayContains(jointProposals.inspectionIds, [d.id])).limit(1);
  if (named.length) return existing();
  const taken = new Set(
    (await tx.select({ ids: jointProposals.inspectionIds }).from(jointProposals).where(and(eq(jointProposals.enterpriseCode, d.enterpriseCode), eq(jointProposals.state, 'open')))).flatMap((r) => r.ids),
  );
  const candidates = (
    await otherAgenciesOnsiteVisits(
      tx,
      d,
      inArray(inspections.kind, ['routine', 'special']),
      inArray(inspections.state, PROPOSABLE_STATES),
      gte(inspections.countedDate, addDays(d.countedDate, -PROPOSAL_SETTINGS.schemeDays)),
      lte(inspections.countedDate, addDays(d.countedDate, PROPOSAL_SETTINGS.schemeDays)),
      isNull(jointTaskParts.taskId),
    ).orderBy(inspections.createdAt, inspections.id)
  ).filter((c) => !taken.has(c.inspectionId));
  if (candidates.length === 0) return existing();
  const enterprise = await findEnterprise(tx, d.enterpriseCode);
  if (!enterprise) return existing();
  const entries: MatchEntry[] = (await publishedJointLists(tx)).flatMap((l) => l.entries.map((entry) => ({ listId: l.id, listVersion: l.listVersion, districtCode: l.level === 'district' ? l.districtCode : null, entry })));
  const drafted: SchemeVisit = { inspectionId: d.id, agencyCode: d.agencyCode, enterpriseCode: d.enterpriseCode, matterCodes: d.matterCodes, day: d.countedDate };
  const m = matchScheme(drafted, candidates, entries, enterprise.districtCode, PROPOSAL_SETTINGS.schemeDays);
  if (!m) return existing();
  const agencies = m.units.map((u) => u.agencyCode);
  if (open.some((o) => agencies.every((a) => o.agencies.includes(a)))) return existing();

  // The window: what every unit's own draft allows when the drafts overlap, else the lead's (Art. 28: the lead
  // organises the visit with the cooperating units; a unit accepting it names its officers for that window).
  const windows = [{ inspectionId: d.id, windowStart: d.windowStart, windowEnd: d.windowEnd }, ...candidates].filter((w) => m.units.some((u) => u.inspectionId === w.inspectionId));
  const start = new Date(Math.max(...windows.map((w) => w.windowStart.getTime())));
  const end = new Date(Math.min(...windows.map((w) => w.windowEnd.getTime())));
  const lead = windows.find((w) => w.inspectionId === m.units.find((u) => u.role === 'lead')!.inspectionId)!;
  const [windowStart, windowEnd] = start < end ? [start, end] : [lead.windowStart, lead.windowEnd];
  if (windowStart <= scope.at) return existing(); // too late to ask anyone: the advice stands
  const respondBy = await respondByFor(tx, scope.at, windowStart);

  const id = randomUUID();
  const inspectionIds = m.units.map((u) => u.inspectionId);
  const [row] = await tx
    .insert(jointProposals)
    .values({
      id,
      period: quarterOf(shanghaiDate(windowStart)),
      source: 'scheme',
      enterpriseCode: d.enterpriseCode,
      districtCode: enterprise.districtCode,
      listId: m.entry.listId,
      listVersion: m.entry.listVersion,
      entryCode: m.entry.entry.code,
      leadAgencyCode: m.leadAgencyCode,
      windowStart,
      windowEnd,
      teamMax,
      formLines: mergeChecklist(m.entry.entry.items, m.units).length,
      seed: null,
      separateVisits: m.units.length,
      state: 'open',
      respondBy,
      inspectionIds,
      createdAt: scope.at,
      updatedAt: scope.at,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return existing();
  await tx.insert(jointProposalUnits).values(m.units.map((u) => ({ proposalId: id, agencyCode: u.agencyCode, role: u.role, matterCodes: u.matterCodes, state: 'pending' as const })));
  await scope.audit({
    action: 'joint_proposal.proposed',
    subjectType: 'joint_proposal',
    subjectId: id,
    agencyCode: m.leadAgencyCode,
    enterpriseCode: d.enterpriseCode,
    districtCode: enterprise.districtCode,
    before: null,
    after: 'open',
    payload: {
      source: 'scheme',
      enterpriseName: enterprise.name,
      entryCode: m.entry.entry.code,
      listId: m.entry.listId,
      units: m.units,
      inspectionIds,
      draftedBy: d.agencyCode,
      windowStart: windowStart.toISOString(),
      windowEnd: windowEnd.toISOString(),
      respondBy: respondBy.toISOString(),
      schemeDays: PROPOSAL_SETTINGS.schemeDays,
    },
  });
  return [await proposalRef(tx, row, true), ...(await existing())];
}

