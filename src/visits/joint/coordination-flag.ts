import { and, eq, gte, inArray, lte, ne, sql } from 'drizzle-orm';
import type { Principal } from '../../auth/principal.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { inspections, jointTaskParts, singleVisitCoordination } from '../../db/schema/index.js';
import { raiseFlag, type FlagActor } from '../../flags/raise.js';
import { COUNTED_STATES } from '../../frequency/facts.js';
import type { Inspection } from '../repository.js';
import { findAgency } from '../../registry/agencies.repository.js';
import { findEnterprise } from '../../registry/enterprises.repository.js';
import { entriesCovering, entryText, type PossibleJointEntry } from './coordination-entries.js';
import { pairJudgedUnderProposal } from './coordination-judged.js';
import { addDays } from '../../time/shanghai-date.js';
import type { JointSettings } from '../../config/joint-settings.js';
import type { JointTask } from './tasks.repository.js';

/**
 * JOINT_NOT_COORDINATED (Art. 26: 应协同尽协同), the detector: two or more agencies visiting the same
 * enterprise on site within `coordinationDays` of each other, other than as one joint task, where a published
 * joint-matter list entry made a joint task possible (single visits; see coordination-entries.ts). Visits are
 * on-site routine and special inspections that happened (a code was issued: the counted states). Case
 * inspections answer a lead (complaint, referral) and cannot wait for a partner, so they neither raise
 * nor feed the flag.
 */
export interface NearbyVisit {
  inspectionId: string;
  agencyCode: string;
  countedDate: string;
  matterCodes: string[];
  jointTaskId: string | null;
}

type NearbyQuestion = { enterpriseCode: string; countedDate: string; days: number; excludeAgencies: readonly string[]; excludeTaskId?: string };

export async function nearbyVisitsOfOthers(tx: Db, q: NearbyQuestion): Promise<NearbyVisit[]> {
  const rows = (await tx.execute<Record<string, unknown>>(nearbyVisitsQuery(q))) as unknown as { rows: Record<string, unknown>[] };
  return rows.rows.map(nearbyFromJson).filter((r) => !q.excludeTaskId || r.jointTaskId !== q.excludeTaskId);
}

/** A nearby visit from its row (the query's own, or its JSON in the code issuance's facts statement). */
export const nearbyFromJson = (r: Record<string, unknown>): NearbyVisit => ({
  inspectionId: String(r.inspection_id),
  agencyCode: String(r.agency_code),
  countedDate: String(r.counted_date),
  matterCodes: typeof r.matter_codes === 'string' ? parseTextArray(r.matter_codes) : (r.matter_codes as string[]),
  jointTaskId: (r.task_id as string | null) ?? null,
});

/** pg hands a text[] over as an array; PGlite too; a driver that gives `{a,b}` text gets it split (codes hold no commas or quotes). */
const parseTextArray = (v: string) => (v === '{}' ? [] : v.slice(1, -1).split(','));

/** The other agencies' counted on-site visits of the enterprise within `days` of the date (columns named as stored). */
export function nearbyVisitsQuery(q: NearbyQuestion) {
  return sql`SELECT ${inspections.id} AS inspection_id, ${inspections.agencyCode} AS agency_code, ${inspections.countedDate}::text AS counted_date,
                    ${inspections.matterCodes} AS matter_codes, ${jointTaskParts.taskId} AS task_id
    FROM ${inspections} LEFT JOIN ${jointTaskParts} ON ${eq(jointTaskParts.inspectionId, inspections.id)}
   WHERE ${and(
        eq(inspections.enterpriseCode, q.enterpriseCode),
        gte(inspections.countedDate, addDays(q.countedDate, -q.days)),
        lte(inspections.countedDate, addDays(q.countedDate, q.days)),
        eq(inspections.mode, 'onsite'),
        inArray(inspections.kind, ['routine', 'special']),
        inArray(inspections.state, [...COUNTED_STATES]),
        ...q.excludeAgencies.map((a) => ne(inspections.agencyCode, a)),
      )}`;
}

/**
 * At a single inspection's code: flags it when another agency visits the enterprise within the window AND a
 * joint-matter list entry in force at the visit covered both visits' matters (coordination was possible).
 * The text names the agencies by name and the entry a joint task could have been launched from.
 */
export async function flagUncoordinatedSingle(tx: Db, at: Date, actor: FlagActor, i: Inspection, days: number, readAhead?: NearbyVisit[]): Promise<string | null> {
  if (i.mode !== 'onsite' || i.kind === 'case') return null;
  const nearby = readAhead ?? (await nearbyVisitsOfOthers(tx, { enterpriseCode: i.enterpriseCode, countedDate: i.countedDate, days, excludeAgencies: [i.agencyCode] }));
  // Sequential: a transaction's queries share one connection.
  const others: (NearbyVisit & { agencyName: string; entries: PossibleJointEntry[] })[] = [];
  for (const o of nearby) {
    // A proposal naming both that was declined or lapsed was judged under 第二十八条 (coordination-judged.ts).
    if (await pairJudgedUnderProposal(tx, { enterpriseCode: i.enterpriseCode, countedDate: i.countedDate, visits: [{ inspectionId: i.id, agencyCode: i.agencyCode }, o] })) continue;
    const entries = await entriesCovering(tx, i.windowStart, i, o);
    if (entries.length > 0) others.push({ ...o, agencyName: (await findAgency(tx, o.agencyCode))?.name ?? o.agencyCode, entries });
  }
  if (others.length === 0) return null;
  const agency = await findAgency(tx, i.agencyCode);
  const enterprise = await findEnterprise(tx, i.enterpriseCode);
  const [note] = await tx.select().from(singleVisitCoordination).where(eq(singleVisitCoordination.inspectionId, i.id));
  const alone = note?.aloneReason ? `；单独检查的理由：${note.aloneReason}` : '；未说明单独检查的理由';
  const visits = [...new Set(others.map((o) => `${o.agencyName}（${o.countedDate}）`))].join('、');
  const entries = [...new Map(others.flatMap((o) => o.entries).map((e) => [`${e.listId}/${e.entryCode}`, e])).values()];
  return raiseFlag(tx, at, actor, {
    rule: 'JOINT_NOT_COORDINATED',
    subjectType: 'inspection',
    subjectId: i.id,
    agencyCode: i.agencyCode,
    enterpriseCode: i.enterpriseCode,
    districtCode: agency?.districtCode ?? null,
    observed: others.map(({ entries: _e, ...o }) => o),
    limit: { coordinationDays: days },
    detail: `${agency?.name ?? i.agencyCode}于${i.countedDate}对${enterprise?.name ?? i.enterpriseCode}实施现场检查，前后${days}日内${visits}也对该企业实施现场检查；双方检查事项已列入${entries.map(entryText).join('、')}，可发起“综合查一次”联合检查而未实行（第二十六条）${alone}`,
    evidence: { inspectionId: i.id, others: others.map(({ entries: _e, ...o }) => o), possibleEntries: entries, aloneReason: note?.aloneReason ?? null, advice: note?.advice ?? null },
  });
}

/**
 * At a joint code: flags the visit when an agency outside the task visits the enterprise within the window
 * AND a joint-matter list entry in force at the task's window start lists that agency, with its visit's
 * matters, together with one of the task's units and its matters — so the outside visit could have been
 * one joint inspection with the task (Art. 26–28). A visit no entry covers (an agency on no list, or on one
 * for other matters) could not have been joined and is not flagged. The text names the agencies by name
 * and the entry a joint task could have been launched from.
 */
export async function flagUncoordinatedAgainstJoint(tx: Db, scope: CommandScope, actor: Principal, settings: JointSettings, task: JointTask, enterpriseCode: string): Promise<string | null> {
  const units = task.entry.units.map((u) => u.agencyCode);
  const nearby = await nearbyVisitsOfOthers(tx, { enterpriseCode, countedDate: task.countedDate, days: settings.coordinationDays, excludeAgencies: units, excludeTaskId: task.id });
  // Sequential: a transaction's queries share one connection.
  const others: (NearbyVisit & { agencyName: string; entries: PossibleJointEntry[] })[] = [];
  for (const o of nearby) {
    const entries: PossibleJointEntry[] = [];
    for (const u of task.entry.units) entries.push(...(await entriesCovering(tx, task.windowStart, { agencyCode: u.agencyCode, matterCodes: u.matterCodes }, o)));
    if (entries.length > 0) others.push({ ...o, agencyName: (await findAgency(tx, o.agencyCode))?.name ?? o.agencyCode, entries });
  }
  if (others.length === 0) return null;
  const lead = await findAgency(tx, task.leadAgencyCode);
  const enterprise = await findEnterprise(tx, enterpriseCode);
  const visits = [...new Set(others.map((o) => `${o.agencyName}（${o.countedDate}${o.jointTaskId ? '，另一“综合查一次”任务' : ''}）`))].join('、');
  const entries = [...new Map(others.flatMap((o) => o.entries).map((e) => [`${e.listId}/${e.entryCode}`, e])).values()];
  return raiseFlag(tx, scope.at, { sub: actor.sub, role: actor.role }, {
    rule: 'JOINT_NOT_COORDINATED',
    subjectType: 'joint_task',
    subjectId: task.id,
    occurrence: enterpriseCode,
    agencyCode: task.leadAgencyCode,
    enterpriseCode,
    districtCode: lead?.districtCode ?? null,
    observed: others.map(({ entries: _e, ...o }) => o),
    limit: { coordinationDays: settings.coordinationDays },
    detail: `${lead?.name ?? task.leadAgencyCode}发起的“综合查一次”任务于${task.countedDate}检查${enterprise?.name ?? enterpriseCode}，前后${settings.coordinationDays}日内${visits}另行对该企业实施现场检查；其检查事项与本任务单位的检查事项已共同列入${entries.map(entryText).join('、')}，可纳入联合检查而未实行（第二十六条）`,
    evidence: { jointTaskId: task.id, others: others.map(({ entries: _e, ...o }) => o), possibleEntries: entries },
  });
}
