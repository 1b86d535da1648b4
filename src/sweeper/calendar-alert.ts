import { raiseAdminAlert } from '../alerts/admin-alerts.js';
import { appendAudit } from '../audit/append.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { SYSTEM_ACTOR } from '../flags/raise.js';

/**
 * A working-day job (RESULT_NOT_NOTIFIED, REFERRAL_NOT_RECEIVED) cannot judge a deadline once today lies in
 * a year whose official holiday arrangement is not entered; it fails rather than guess. The failure stays in
 * the pass's report, and the administrators get the same alert a pending referral due date raises (one per
 * missing year), since entering the year is what lets the job run again. In a transaction of its own: the
 * job's own transaction has rolled back.
 */
export async function alertIfCalendarMissing(db: Db, at: Date, job: string, err: unknown): Promise<void> {
  if (!(err instanceof DomainError) || err.code !== 'CALENDAR_YEAR_UNPUBLISHED') return;
  const year = Number(err.extensions.year);
  if (!Number.isInteger(year)) return;
  await db.transaction(async (tx) => {
    const scope: CommandScope = { at, audit: (e) => appendAudit(tx, { ...e, at, actor: SYSTEM_ACTOR.sub, role: SYSTEM_ACTOR.role }) };
    await raiseAdminAlert(tx, scope, {
      kind: 'calendar_year_missing',
      key: String(year),
      detail: `${year}年法定节假日和调休安排尚未录入：巡检无法计算工作日期限，相关标记暂停判断；请尽快录入该年度安排`,
      evidence: { year, job },
    });
  });
}
