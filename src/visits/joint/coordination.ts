import { and, arrayContains, eq, gt, inArray, lt } from 'drizzle-orm';
import type { Principal } from '../../auth/principal.js';
import type { CommandScope } from '../../commands/command.js';
import { proposeFromScheme } from '../../proposals/scheme-proposals.js';
import type { Db } from '../../db/client.js';
import { inspections, jointTasks, jointTaskUnits, singleVisitCoordination } from '../../db/schema/index.js';
import type { Coordination } from '../coordination-advice.js';
import type { Inspection } from '../repository.js';
import { findAgency } from '../../registry/agencies.repository.js';
import { publishedJointLists } from './lists.repository.js';
import { otherAgenciesOnsiteVisits } from './coordination-others.js';

/**
 * 应协同尽协同 (Art. 26), the advice: when an officer drafts a single on-site inspection, the draft response
 * says which other agencies already plan or drafted a visit to the same enterprise in an overlapping window,
 * which open joint tasks there this agency could join, and which published joint-list entries cover its
 * matters — and offers "join" or "launch_joint_task". Going ahead alone stays allowed; the officer's reason
 * (`aloneReason`) is kept with the advice and read back if JOINT_NOT_COORDINATED is raised at the code.
 * The advice's shape lives in src/visits/coordination-advice.ts so inspection commands can return it.
 */
export type { Coordination };

// `recorded`: an inspection imported from an upper-level platform (src/exchange), which holds that platform's
// code for its window exactly as `code_issued` holds ours (Art. 24, 26, 29).
const PLANNED_STATES = ['draft', 'approved', 'code_issued', 'recorded'];
const OPEN_TASK_STATES = ['launched', 'approved', 'code_issued'] as const;

type Draft = Pick<Inspection, 'id' | 'agencyCode' | 'enterpriseCode' | 'mode' | 'kind' | 'matterCodes' | 'windowStart' | 'windowEnd' | 'countedDate'>;

export async function coordinationFor(tx: Db, d: Draft): Promise<Omit<Coordination, 'aloneReason'>> {
  const overlapping = (await otherAgenciesOnsiteVisits(tx, d, inArray(inspections.state, PLANNED_STATES), lt(inspections.windowStart, d.windowEnd), gt(inspections.windowEnd, d.windowStart))).map(
    ({ inspectionId, agencyCode, state, windowStart, windowEnd, jointTaskId }) => ({ inspectionId, agencyCode, state, windowStart, windowEnd, jointTaskId }),
  );
  const tasks = await tx
    .select({ task: jointTasks, unit: jointTaskUnits })
    .from(jointTasks)
    .leftJoin(jointTaskUnits, and(eq(jointTaskUnits.taskId, jointTasks.id), eq(jointTaskUnits.agencyCode, d.agencyCode)))
    .where(
      and(
        arrayContains(jointTasks.enterpriseCodes, [d.enterpriseCode]),
        inArray(jointTasks.state, [...OPEN_TASK_STATES]),
        lt(jointTasks.windowStart, d.windowEnd),
        gt(jointTasks.windowEnd, d.windowStart),
      ),
    );
  const entries: Coordination['jointListEntries'] = [];
  for (const list of await publishedJointLists(tx)) {
    for (const e of list.entries) {
      const unit = e.units.find((u) => u.agencyCode === d.agencyCode);
      const matterCodes = unit ? unit.matterCodes.filter((m) => d.matterCodes.includes(m)) : [];
      if (!unit || matterCodes.length === 0) continue;
      entries.push({ listId: list.id, listVersion: list.listVersion, title: list.title, entryCode: e.code, entryName: e.name, leadAgencyCode: e.units.find((u) => u.role === 'lead')!.agencyCode, role: unit.role, matterCodes });
    }
  }
  const jointTaskAdvice = tasks.map(({ task, unit }) => ({
    jointTaskId: task.id,
    leadAgencyCode: task.leadAgencyCode,
    state: task.state,
    windowStart: task.windowStart.toISOString(),
    windowEnd: task.windowEnd.toISOString(),
    role: unit?.role ?? null,
    unitState: unit?.state ?? null,
    joinable: unit?.state === 'pending' || unit?.state === 'assigned',
  }));
  const offers: Coordination['offers'] = [];
  if (jointTaskAdvice.some((t) => t.joinable)) offers.push('join');
  if (entries.some((e) => e.role === 'lead')) offers.push('launch_joint_task');
  const names = async (codes: readonly string[]) => {
    const out: string[] = [];
    for (const c of new Set(codes)) out.push((await findAgency(tx, c))?.name ?? c);
    return out;
  };
  const others = await names(overlapping.map((o) => o.agencyCode));
  const [leadName] = await names(entries.slice(0, 1).map((e) => e.leadAgencyCode));
  const sentences = [
    others.length ? `${others.join('、')}已计划在重叠时间内对该企业实施现场检查` : '',
    jointTaskAdvice.some((t) => t.joinable) ? '本单位已被分配到该企业的“综合查一次”任务，可接受任务分工加入联合检查' : '',
    entries.length ? `检查事项已列入“综合查一次”事项清单（${entries.map((e) => e.entryName).join('、')}）${entries.some((e) => e.role === 'lead') ? '，本单位为发起单位，可发起联合检查任务' : `，可商请发起单位${leadName}发起联合检查`}` : '',
  ].filter(Boolean);
  return {
    overlapping: overlapping.map((o) => ({ ...o, windowStart: o.windowStart.toISOString(), windowEnd: o.windowEnd.toISOString() })),
    jointTasks: jointTaskAdvice,
    jointListEntries: entries,
    offers,
    advice: sentences.length ? `${sentences.join('；')}。按照“应协同尽协同”原则（第二十六条）宜实行“综合查一次”；确需单独检查的，请在单独检查理由中说明。` : null,
  };
}

/**
 * The one call from draftInspection: for an on-site routine or special draft, the joint visit proposed to this
 * agency and the others whose drafted visits fall within the scheme-days setting (src/proposals/scheme-proposals.ts:
 * the action that replaces the advice), and the advice, stored with the officer's reason when there is
 * something to coordinate or a reason was given.
 */
export async function adviseSingleDraft(tx: Db, scope: Pick<CommandScope, 'at' | 'audit'>, actor: Principal, d: Draft, aloneReason: string | undefined, teamMax: number): Promise<Coordination> {
  const empty = { overlapping: [], jointTasks: [], jointListEntries: [], offers: [], advice: null };
  const found = d.mode === 'onsite' ? await coordinationFor(tx, d) : empty;
  const proposals = d.mode === 'onsite' ? await proposeFromScheme(tx, scope, d, teamMax) : [];
  const proposed = proposals.map((p) => {
    const others = p.units.filter((u) => u.agencyCode !== d.agencyCode).map((u) => u.agencyName);
    const lead = p.units.find((u) => u.role === 'lead')!;
    return `${p.created ? '已' : '此前已'}向本单位和${others.join('、')}提出对${p.enterpriseName}的“综合查一次”联合检查建议（发起单位：${lead.agencyName}），请各单位负责人在答复期限前答复；各单位均接受后合并为一次入企，本单位的单独检查方案随之撤回`;
  });
  const advice = proposed.length ? { ...found, advice: `${proposed.join('；')}（第二十六条至第二十八条）。${found.advice ?? ''}` } : found;
  const out: Coordination = { ...advice, aloneReason: aloneReason ?? null, ...(d.mode === 'onsite' ? { proposals } : {}) };
  const relevant = advice.overlapping.length + advice.jointTasks.length + advice.jointListEntries.length + proposals.length > 0;
  if (relevant || aloneReason) {
    await tx.insert(singleVisitCoordination).values({ inspectionId: d.id, advice: { ...advice, proposals: proposals.map((p) => ({ id: p.id, created: p.created })) }, aloneReason: aloneReason ?? null, recordedBy: actor.sub, recordedAt: scope.at });
  }
  return out;
}
