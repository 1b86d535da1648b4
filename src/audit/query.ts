import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditChain, auditEntries } from '../db/schema/index.js';

export interface AuditFilter {
  subjectType?: string;
  subjectId?: string;
  actor?: string;
  agency?: string;
  enterprise?: string;
  /** A district supervisor's jurisdiction. */
  district?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** Newest first, with the chain position once sealed (null while the sealer has not reached it). */
export function listAudit(db: Db, f: AuditFilter) {
  const where: SQL[] = [];
  if (f.subjectType) where.push(eq(auditEntries.subjectType, f.subjectType));
  if (f.subjectId) where.push(eq(auditEntries.subjectId, f.subjectId));
  if (f.actor) where.push(eq(auditEntries.actor, f.actor));
  if (f.agency) where.push(eq(auditEntries.agencyCode, f.agency));
  if (f.enterprise) where.push(eq(auditEntries.enterpriseCode, f.enterprise));
  if (f.district) where.push(eq(auditEntries.districtCode, f.district));
  if (f.from) where.push(gte(auditEntries.occurredAt, f.from));
  if (f.to) where.push(lt(auditEntries.occurredAt, f.to));
  return db
    .select({ entry: auditEntries, seq: auditChain.seq, hash: auditChain.hash })
    .from(auditEntries)
    .leftJoin(auditChain, eq(auditChain.entryId, auditEntries.id))
    .where(and(...where))
    .orderBy(desc(auditEntries.id))
    .limit(f.limit)
    .offset(f.offset);
}
