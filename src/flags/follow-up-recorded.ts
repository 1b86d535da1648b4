import { and, eq, inArray, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append.js';
import type { Db } from '../db/client.js';
import { flags } from '../db/schema/index.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import type { FlagActor } from './raise.js';

/**
 * Art. 20 ¶2: when a follow-up (one that names the order's inspection: same agency, same enterprise, checked
 * at drafting) records its findings after RECTIFICATION_NO_FOLLOWUP was raised against the order, the flag is
 * brought up to date in the same transaction — its evidence and detail say when the follow-up was recorded —
 * so a supervisor reading it does not see "no follow-up" for an order that has since been followed up. The
 * flag stays (the follow-up came after the period: it was late) until the supervisor resolves it; the
 * note is on the audit chain.
 */
export async function noteFollowUpRecorded(tx: Db, at: Date, actor: FlagActor, originalId: string, followUpId: string): Promise<string[]> {
  const day = shanghaiDate(at);
  const updated = await tx
    .update(flags)
    .set({
      detail: sql`${flags.detail} || ${`；其后于${day}记录了跟踪检查情况（跟踪检查 ${followUpId}）`}`,
      evidence: sql`${flags.evidence} || ${JSON.stringify({ followUpRecorded: { inspectionId: followUpId, on: day } })}::jsonb`,
    })
    .where(
      and(
        eq(flags.rule, 'RECTIFICATION_NO_FOLLOWUP'),
        eq(flags.subjectType, 'inspection'),
        eq(flags.subjectId, originalId),
        inArray(flags.state, ['open', 'acknowledged']),
        sql`NOT (${flags.evidence} ? 'followUpRecorded')`,
      ),
    )
    .returning({ id: flags.id, agencyCode: flags.agencyCode, enterpriseCode: flags.enterpriseCode, districtCode: flags.districtCode });
  for (const f of updated) {
    await appendAudit(tx, {
      at,
      actor: actor.sub,
      role: actor.role,
      action: 'flag.follow_up_recorded',
      subjectType: 'inspection',
      subjectId: originalId,
      agencyCode: f.agencyCode,
      enterpriseCode: f.enterpriseCode,
      districtCode: f.districtCode,
      payload: { flagId: f.id, rule: 'RECTIFICATION_NO_FOLLOWUP', followUpId, on: day },
      requestId: actor.requestId ?? null,
    });
  }
  return updated.map((f) => f.id);
}
