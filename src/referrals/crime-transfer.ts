import { randomUUID } from 'node:crypto';
import { CrimeTransfer } from '../rules/declarations/referrals.js';
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { agencies, crimeTransfers, type ReferralEvidence } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency } from '../registry/agencies.repository.js';
import { ruleArticle } from '../rules/catalog.js';
import { checkFinding } from './open.js';

export type CrimeTransfer = typeof crimeTransfers.$inferSelect;

/**
 * A suspected crime found within the agency's own jurisdiction goes to the 公安机关 (Art. 23: 涉嫌犯罪的，按照
 * 《行政执法机关移送涉嫌犯罪案件的规定》办理) — no administrative referral to another agency comes first, as
 * the article's referral sentence is about violations outside the agency's jurisdiction. The transfer is
 * approved by the agency's head (规定 第五条), carries the agency's own 移送书 number (unique within the
 * agency) and names the receiving 公安机关; the facts found and the evidence handed over are kept with it.
 */
export interface CrimeTransferInput {
  agencyCode: string;
  enterpriseCode: string;
  description: string;
  evidence: ReferralEvidence[];
  documentNo: string;
  receivingOrgan: string;
  /** Shanghai date the suspected crime was found; defaults to today, never later than today. */
  foundOn?: string;
  inspectionId?: string;
  note?: string;
}

export async function recordCrimeTransfer(tx: Db, scope: CommandScope, actor: Principal, input: CrimeTransferInput): Promise<CrimeTransfer> {
  if (actor.agency !== input.agencyCode) throw new DomainError('OUT_OF_SCOPE', '只能以本单位名义移送涉嫌犯罪案件');
  if (actor.role !== 'agency_head') throw new DomainError('FORBIDDEN_ROLE', '移送涉嫌犯罪案件须由行政执法主体负责人批准（《行政执法机关移送涉嫌犯罪案件的规定》第五条）');
  const agency = await findAgency(tx, input.agencyCode);
  if (!agency) throw DomainError.field('body.agencyCode', `行政执法主体 ${input.agencyCode} 不存在`, 'REFERENCE_INVALID');
  const foundOn = await checkFinding(tx, scope.at, input);
  const [row] = await tx
    .insert(crimeTransfers)
    .values({
      id: randomUUID(),
      agencyCode: input.agencyCode,
      enterpriseCode: input.enterpriseCode,
      inspectionId: input.inspectionId ?? null,
      description: input.description,
      evidence: input.evidence,
      foundOn,
      documentNo: input.documentNo,
      receivingOrgan: input.receivingOrgan,
      approvedBy: actor.sub,
      transferredAt: scope.at,
    })
    // The unique (agency, document number) index, not a read before the write: two requests racing with
    // one number get one row and one 409, never a 500.
    .onConflictDoNothing()
    .returning();
  if (!row) throw DomainError.field('body.documentNo', `本单位已使用移送书文号 ${input.documentNo}`, 'ALREADY_EXISTS');
  await scope.audit({
    action: 'crime_transfer.recorded',
    subjectType: 'crime_transfer',
    subjectId: row.id,
    agencyCode: row.agencyCode,
    enterpriseCode: row.enterpriseCode,
    districtCode: agency.districtCode,
    after: 'transferred',
    payload: {
      rule: CrimeTransfer.id,
      article: ruleArticle('CRIME_TRANSFER'),
      documentNo: row.documentNo,
      receivingOrgan: row.receivingOrgan,
      inspectionId: row.inspectionId,
      foundOn,
      description: row.description,
      evidence: row.evidence,
      note: input.note ?? null,
    },
  });
  return row;
}

export async function findCrimeTransfer(db: Db, id: string): Promise<CrimeTransfer | undefined> {
  const [row] = await db.select().from(crimeTransfers).where(eq(crimeTransfers.id, id));
  return row;
}

/** Officers and heads read their agency's transfers; supervisors theirs within their district (all, city-wide). */
export async function assertMayReadCrimeTransfer(db: Db, p: Principal, c: CrimeTransfer): Promise<void> {
  if ((p.role === 'officer' || p.role === 'agency_head') && p.agency === c.agencyCode) return;
  if (p.role === 'supervisor' && (!p.district || (await findAgency(db, c.agencyCode))?.districtCode === p.district)) return;
  throw new DomainError('OUT_OF_SCOPE', '无权查看该涉嫌犯罪案件移送记录');
}

export function listCrimeTransfers(db: Db, f: { agency?: string; district?: string; enterpriseCode?: string; limit: number; offset: number }) {
  const where: SQL[] = [];
  if (f.agency) where.push(eq(crimeTransfers.agencyCode, f.agency));
  if (f.district) where.push(inArray(crimeTransfers.agencyCode, db.select({ code: agencies.code }).from(agencies).where(eq(agencies.districtCode, f.district))));
  if (f.enterpriseCode) where.push(eq(crimeTransfers.enterpriseCode, f.enterpriseCode));
  return db
    .select()
    .from(crimeTransfers)
    .where(and(...where))
    .orderBy(desc(crimeTransfers.transferredAt), desc(crimeTransfers.id))
    .limit(f.limit)
    .offset(f.offset);
}
