import { randomUUID } from 'node:crypto';
import { jointListMachine } from '../../../machines/joint-list.machine.js';
import { stateLabel } from '../../../machines/labels.js';
import type { Principal } from '../../auth/principal.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { jointTasks, jointTaskUnits, jointVisits, type Inspector } from '../../db/schema/index.js';
import { DomainError } from '../../errors/domain-error.js';
import { ruleArticle } from '../../rules/catalog.js';
import { validateWindow } from '../commands/draft.js';
import { agencyNameOf } from '../../registry/agencies.repository.js';
import { findEnterprise } from '../../registry/enterprises.repository.js';
import type { RuleResult } from '../../rules/result.js';
import { shanghaiDate } from '../../time/shanghai-date.js';
import { leadOf } from './list-entry.js';
import { findJointList } from './lists.repository.js';
import type { JointSettings } from '../../config/joint-settings.js';
import { auditTask } from './task-audit.js';
import { planGuards, JOINT_TEAM_TOO_LARGE } from './task-guards.js';
import { findJointTask, unitsOf, type JointTask, type JointTaskUnit } from './tasks.repository.js';

export interface LaunchInput {
  listId: string;
  entryCode: string;
  enterpriseCodes: string[];
  windowStart: string;
  windowEnd: string;
  /** The lead unit's officers. */
  inspectors: Inspector[];
  escalationGround?: string;
  assistanceRef?: string;
  onsiteReason?: string;
  note?: string;
  /** Only these of the entry's units take part (a proposal's units, src/proposals); absent: every unit. */
  unitCodes?: string[];
}

export interface Launched {
  task: JointTask;
  units: JointTaskUnit[];
  /** JOINT_IN_PLAN of every unit as it stands now: the cooperating units see theirs before accepting. */
  checks: RuleResult[];
}

/**
 * 线上发起 (Art. 29): the lead unit's head launches a task from an entry of a published joint list
 * (JOINT_LIST_UNAPPROVED otherwise, Art. 27) for one or more enterprises in one window. The lead's own
 * matters must be in its filed plan (JOINT_IN_PLAN, Art. 28) and its officers within the visit cap (Art. 31).
 */
export async function launchJointTask(tx: Db, scope: CommandScope, actor: Principal, settings: JointSettings, input: LaunchInput): Promise<Launched> {
  const list = await findJointList(tx, input.listId, 'share');
  if (!list) throw DomainError.field('body.listId', `“综合查一次”事项清单 ${input.listId} 不存在`, 'REFERENCE_INVALID');
  const listed = list.entries.find((e) => e.code === input.entryCode);
  const entry = listed && input.unitCodes ? { ...listed, units: listed.units.filter((u) => input.unitCodes!.includes(u.agencyCode)) } : listed;
  if (!entry) throw DomainError.field('body.entryCode', `清单中没有事项 ${input.entryCode}`, 'REFERENCE_INVALID');
  const lead = leadOf(entry);
  if (actor.role !== 'agency_head' || actor.agency !== lead.agencyCode) {
    throw new DomainError(actor.agency === lead.agencyCode ? 'FORBIDDEN_ROLE' : 'OUT_OF_SCOPE', `“综合查一次”任务由该事项的发起单位（${await agencyNameOf(tx, lead.agencyCode)}）负责人发起`);
  }
  if (list.state !== 'published') {
    throw new DomainError('REFERENCE_INVALID', `“综合查一次”事项清单“${list.title}”第${list.listVersion}版未经审核、批准并公布（当前状态为“${stateLabel(jointListMachine.id, list.state)}”），不能据此发起检查（第二十七条）`, {
      rule: 'JOINT_LIST_UNAPPROVED',
      article: '第二十七条',
      errors: [{ field: 'body.listId', message: `清单状态 ${list.state}` }],
    });
  }
  const { windowStart, windowEnd } = validateWindow(input.windowStart, input.windowEnd);
  if (windowEnd <= scope.at) throw DomainError.field('body.windowEnd', '检查时间已过');
  const enterpriseCodes = [...new Set(input.enterpriseCodes)].sort();
  for (const code of enterpriseCodes) {
    if (!(await findEnterprise(tx, code))) throw DomainError.field('body.enterpriseCodes', `企业 ${code} 未登记`, 'REFERENCE_INVALID');
  }
  const cap = JOINT_TEAM_TOO_LARGE(input.inspectors, settings.teamMax);
  if (!cap.passed) throw DomainError.fromRules([cap]);

  const countedDate = shanghaiDate(windowStart);
  const checks = await planGuards(tx, { countedDate }, entry.units);
  const leadFailed = checks.filter((r) => !r.passed && (r.observed as { agencyCode: string }).agencyCode === lead.agencyCode);
  if (leadFailed.length > 0) throw DomainError.fromRules(leadFailed);

  const id = randomUUID();
  await tx.insert(jointTasks).values({
    id,
    listId: list.id,
    listVersion: list.listVersion,
    entryCode: entry.code,
    entry,
    leadAgencyCode: lead.agencyCode,
    enterpriseCodes,
    windowStart,
    windowEnd,
    countedDate,
    state: 'launched',
    note: input.note ?? null,
    launchedBy: actor.sub,
    createdAt: scope.at,
    updatedAt: scope.at,
  });
  await tx.insert(jointTaskUnits).values(
    entry.units.map((u) => ({
      taskId: id,
      agencyCode: u.agencyCode,
      role: u.role,
      // The lead launched the task: its part is taken on; the others wait to be assigned (线上分配).
      state: u.role === 'lead' ? ('accepted' as const) : ('pending' as const),
      matterCodes: u.matterCodes,
      inspectors: u.role === 'lead' ? input.inspectors : [],
      ...(u.role === 'lead'
        ? { escalationGround: input.escalationGround ?? null, assistanceRef: input.assistanceRef ?? null, onsiteReason: input.onsiteReason ?? null, respondedBy: actor.sub, respondedAt: scope.at }
        : {}),
    })),
  );
  await tx.insert(jointVisits).values(enterpriseCodes.map((enterpriseCode) => ({ taskId: id, enterpriseCode })));
  const task = (await findJointTask(tx, id))!;
  // Art. 29: the task is launched and assigned on the platform — the launch records that (JOINT_OFFLINE).
  await auditTask(tx, scope, 'launched', task, null, { rule: 'JOINT_OFFLINE', article: ruleArticle('JOINT_OFFLINE'), enterpriseCodes, windowStart: input.windowStart, windowEnd: input.windowEnd, units: entry.units.map((u) => u.agencyCode) });
  return { task, units: await unitsOf(tx, id), checks };
}
