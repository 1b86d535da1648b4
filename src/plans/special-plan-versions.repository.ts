import { and, asc, desc, eq, isNotNull } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import { specialPlanVersions } from '../db/schema/index.js';
import type { SpecialPlan } from './special-plans.repository.js';

/** A special plan as the bureau filed it at one revision (Art. 14), and when that revision was published. */
export type SpecialPlanVersion = typeof specialPlanVersions.$inferSelect;

/** Written in the filing transaction: the plan's content and approval exactly as filed. */
export async function insertSpecialPlanVersion(db: Db, plan: SpecialPlan, filedAt: Date, filedBy: string): Promise<SpecialPlanVersion> {
  const [row] = await db
    .insert(specialPlanVersions)
    .values({
      id: randomUUID(),
      specialPlanId: plan.id,
      revision: plan.revision,
      title: plan.title,
      focus: plan.focus,
      matterCodes: plan.matterCodes,
      startDate: plan.startDate,
      endDate: plan.endDate,
      approverKind: plan.approverKind,
      approverName: plan.approverName,
      approvalDocNo: plan.approvalDocNo,
      filingBureauCode: plan.filingBureauCode,
      upperAuthorityCode: plan.upperAuthorityCode,
      filedAt,
      filedBy,
    })
    .returning();
  return row!;
}

/** Publishing a filed revision (Art. 14 ¶1) puts that version in force. */
export async function markVersionPublished(db: Db, specialPlanId: string, revision: number, at: Date): Promise<void> {
  await db
    .update(specialPlanVersions)
    .set({ publishedAt: at })
    .where(and(eq(specialPlanVersions.specialPlanId, specialPlanId), eq(specialPlanVersions.revision, revision)));
}

/** The version in force while an adjustment waits: the last one filed and published. */
export async function lastPublishedVersion(db: Db, specialPlanId: string): Promise<SpecialPlanVersion | undefined> {
  const [row] = await db
    .select()
    .from(specialPlanVersions)
    .where(and(eq(specialPlanVersions.specialPlanId, specialPlanId), isNotNull(specialPlanVersions.publishedAt)))
    .orderBy(desc(specialPlanVersions.revision))
    .limit(1);
  return row;
}

export function specialPlanVersionsOf(db: Db, specialPlanId: string): Promise<SpecialPlanVersion[]> {
  return db.select().from(specialPlanVersions).where(eq(specialPlanVersions.specialPlanId, specialPlanId)).orderBy(asc(specialPlanVersions.revision));
}
