import type { RefusalSubject } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { findAgency } from '../../registry/agencies.repository.js';
import { findJointTask } from './tasks.repository.js';

/** What a refusal on a joint task is recorded against: the task, its lead unit and that unit's district. */
export async function jointTaskRefusalSubject(db: Db, id: string): Promise<RefusalSubject> {
  const task = await findJointTask(db, id);
  const lead = task ? await findAgency(db, task.leadAgencyCode) : undefined;
  return { subjectType: 'joint_task', subjectId: id, agencyCode: task?.leadAgencyCode ?? null, districtCode: lead?.districtCode ?? null };
}
