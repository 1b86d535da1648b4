import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { inspections } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';

const FIELD = 'body.followUpOf';

/**
 * Art. 20 ¶2: after ordering a stop or a rectification, the agency that gave the order follows it up
 * (进行跟踪检查并予以记录). A draft that names itself a follow-up must fit: the original exists, was made by
 * the same agency at the same enterprise, and gave such an order (it has a follow-up due date). Anything
 * else could silence RECTIFICATION_NO_FOLLOWUP for an order it does not follow up, so it is refused as bad
 * input naming the field. A case inspection whose lead is a follow-up must name its original.
 */
export async function checkFollowUpOf(
  tx: Db,
  draft: { agencyCode: string; enterpriseCode: string; kind: string; leadKind: string | null; followUpOf: string | null },
): Promise<void> {
  if (!draft.followUpOf) {
    if (draft.kind === 'case' && draft.leadKind === 'follow_up') throw DomainError.field(FIELD, '以跟踪检查为线索的个案检查，须载明所跟踪的原检查（第二十条第二款）');
    return;
  }
  const [original] = await tx
    .select({ agencyCode: inspections.agencyCode, enterpriseCode: inspections.enterpriseCode, followUpDue: inspections.followUpDue })
    .from(inspections)
    .where(eq(inspections.id, draft.followUpOf));
  if (!original) throw DomainError.field(FIELD, `所跟踪的原检查 ${draft.followUpOf} 不存在`);
  if (original.agencyCode !== draft.agencyCode) throw DomainError.field(FIELD, '跟踪检查应由作出责令停止或改正的本单位实施，原检查不是本单位的检查');
  if (original.enterpriseCode !== draft.enterpriseCode) throw DomainError.field(FIELD, '跟踪检查的对象应为原检查的企业');
  if (!original.followUpDue) throw DomainError.field(FIELD, '原检查未责令停止或改正违法行为，无须跟踪检查（第二十条第二款）');
}
