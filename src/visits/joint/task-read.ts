import type { Principal } from '../../auth/principal.js';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../errors/domain-error.js';
import { findAgency } from '../../registry/agencies.repository.js';
import { findEnterprise } from '../../registry/enterprises.repository.js';
import type { ChecklistLine } from './checklist.js';
import { findJointList } from './lists.repository.js';
import { assertMayReadTask } from '../../access/visits.js';
import { resolveEnterprise, taskChecklist } from './task-visits.js';
import { findJointTask, partsOf, unitsOf, visitsOf, type JointTask, type JointTaskUnit, type JointVisit, type PartRow } from './tasks.repository.js';

/** What the read endpoints show of a task, after the caller's scope is checked. */
export interface TaskDetail {
  task: JointTask;
  units: JointTaskUnit[];
  visits: JointVisit[];
  parts: PartRow[];
  names: Map<string, string>;
}

export async function loadTaskDetail(db: Db, actor: Principal, id: string): Promise<TaskDetail> {
  const task = await findJointTask(db, id);
  if (!task) throw DomainError.notFound('“综合查一次”任务', id);
  const units = await unitsOf(db, id);
  await assertMayReadTask(db, actor, units);
  const names = new Map<string, string>();
  for (const u of units) names.set(u.agencyCode, (await findAgency(db, u.agencyCode))?.name ?? u.agencyCode);
  return { task, units, visits: await visitsOf(db, id), parts: await partsOf(db, id), names };
}

/**
 * A decline's legal reason is for the lead unit, the declining unit itself and the supervisors (Art. 28);
 * the other cooperating units see that the unit declined, not why.
 */
export function mayReadDeclineReason(actor: Principal, task: JointTask, unit: JointTaskUnit): boolean {
  return actor.role === 'supervisor' || actor.agency === task.leadAgencyCode || actor.agency === unit.agencyCode;
}

export interface ChecklistView {
  taskId: string;
  listId: string;
  listVersion: number;
  entryCode: string;
  entryName: string;
  content: string;
  basis: string;
  enterpriseCode: string | null;
  units: { agencyCode: string; agencyName: string; role: string; state: string }[];
  lines: (ChecklistLine & { agencyNames: string[]; result: string | null; note: string | null })[];
  /** Items listed by the units before merging, and lines after: what 一表通查 saved. */
  itemsBeforeMerge: number;
}

/** The combined checklist (JSON), with one visit's recorded results when `enterpriseCode` is given. */
export function checklistView(d: TaskDetail, enterpriseCode?: string): ChecklistView {
  const enterprise = enterpriseCode ? resolveEnterprise(d.task, enterpriseCode) : null;
  const lines = taskChecklist(d.task, d.units);
  const visit = enterprise ? d.visits.find((v) => v.enterpriseCode === enterprise) : undefined;
  const recorded = (visit?.results as { lines?: { line: number; result: string; note?: string }[] } | null)?.lines ?? [];
  const taking = d.units.filter((u) => u.state !== 'declined');
  return {
    taskId: d.task.id,
    listId: d.task.listId,
    listVersion: d.task.listVersion,
    entryCode: d.task.entryCode,
    entryName: d.task.entry.name,
    content: d.task.entry.content,
    basis: d.task.entry.basis,
    enterpriseCode: enterprise,
    units: d.units.map((u) => ({ agencyCode: u.agencyCode, agencyName: d.names.get(u.agencyCode)!, role: u.role, state: u.state })),
    lines: lines.map((l) => {
      const r = recorded.find((x) => x.line === l.line);
      return { ...l, agencyNames: [...new Set(l.serves.map((s) => d.names.get(s.agencyCode)!))], result: r?.result ?? null, note: r?.note ?? null };
    }),
    itemsBeforeMerge: d.task.entry.items.filter((i) => taking.some((u) => u.agencyCode === i.agencyCode && u.matterCodes.includes(i.matterCode))).length,
  };
}

export async function enterpriseNames(db: Db, codes: readonly string[]): Promise<string[]> {
  return Promise.all(codes.map(async (c) => (await findEnterprise(db, c))?.name ?? c));
}

export async function listTitle(db: Db, task: JointTask): Promise<string> {
  const list = await findJointList(db, task.listId);
  return list ? `${list.title}（第${list.listVersion}版）` : task.listId;
}
