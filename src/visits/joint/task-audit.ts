import { jointTaskMachine, type JointTaskEvent, type JointTaskState } from '../../../machines/joint-task.machine.js';
import { jointUnitMachine, type JointUnitEvent, type JointUnitState } from '../../../machines/joint-unit.machine.js';
import type { CommandScope } from '../../commands/command.js';
import { transitionOrRefuse } from '../../commands/transition.js';
import { transitionOrRefuseByRules } from '../transition.js';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../errors/domain-error.js';
import { agencyNameOf, findAgency } from '../../registry/agencies.repository.js';
import { findJointTask, type JointTask, type JointTaskUnit } from './tasks.repository.js';

/** Shared by the task commands: lock, transition (409 naming the state), and the task's audit entry. */
export async function lockTask(tx: Db, id: string): Promise<JointTask> {
  const task = await findJointTask(tx, id, 'update');
  if (!task) throw DomainError.notFound('“综合查一次”任务', id);
  return task;
}

export const taskTransition = (task: Pick<JointTask, 'state'>, event: JointTaskEvent) =>
  transitionOrRefuseByRules(jointTaskMachine, '“综合查一次”任务', task.state, {}, event) as JointTaskState;

/** The refusal names the unit's agency by name (issue 11), so its name is read with the state. */
export async function unitTransition(tx: Db, unit: Pick<JointTaskUnit, 'state' | 'agencyCode'>, event: JointUnitEvent): Promise<JointUnitState> {
  return transitionOrRefuse(jointUnitMachine, `${await agencyNameOf(tx, unit.agencyCode)}的任务分工`, unit.state, {}, event) as JointUnitState;
}

export async function auditTask(
  tx: Db,
  scope: CommandScope,
  action: string,
  task: JointTask,
  before: string | null,
  payload: object = {},
  enterpriseCode: string | null = null,
): Promise<void> {
  const lead = await findAgency(tx, task.leadAgencyCode);
  await scope.audit({
    action: `joint_task.${action}`,
    subjectType: 'joint_task',
    subjectId: task.id,
    agencyCode: task.leadAgencyCode,
    enterpriseCode,
    districtCode: lead?.districtCode ?? null,
    before,
    after: task.state,
    payload: { listId: task.listId, entryCode: task.entryCode, ...payload },
  });
}
