import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { agencies, auditChain, auditEntries, enterprises } from '../db/schema/index.js';

export interface AuditFilter {
  subjectType?: string;
  subjectId?: string;
  actor?: string;
  /** e.g. `inspection.approved`. */
  action?: string;
  agency?: string;
  enterprise?: string;
  /** A district supervisor's jurisdiction. */
  district?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

function conditions(f: AuditFilter): SQL | undefined {
  const where: SQL[] = [];
  if (f.subjectType) where.push(eq(auditEntries.subjectType, f.subjectType));
  if (f.subjectId) where.push(eq(auditEntries.subjectId, f.subjectId));
  if (f.actor) where.push(eq(auditEntries.actor, f.actor));
  if (f.action) where.push(eq(auditEntries.action, f.action));
  if (f.agency) where.push(eq(auditEntries.agencyCode, f.agency));
  if (f.enterprise) where.push(eq(auditEntries.enterpriseCode, f.enterprise));
  if (f.district) where.push(eq(auditEntries.districtCode, f.district));
  if (f.from) where.push(gte(auditEntries.occurredAt, f.from));
  if (f.to) where.push(lt(auditEntries.occurredAt, f.to));
  return and(...where);
}

/** Newest first, with the chain position once sealed (null while the sealer has not reached it). */
export function listAudit(db: Db, f: AuditFilter) {
  return db
    .select({ entry: auditEntries, seq: auditChain.seq, hash: auditChain.hash })
    .from(auditEntries)
    .leftJoin(auditChain, eq(auditChain.entryId, auditEntries.id))
    .where(conditions(f))
    .orderBy(desc(auditEntries.id))
    .limit(f.limit)
    .offset(f.offset);
}

/** The enterprise that acted, joined apart from the enterprise the entry concerns (they may differ). */
const actorEnterprises = alias(enterprises, 'actor_enterprises');
/** An enterprise's login subject is this prefix and its credit code. */
const ENTERPRISE_SUBJECT = 'enterprise:';

/**
 * As listAudit, with the agency's and the enterprise's names, for the supervisors' audit page and its export;
 * and the acting enterprise's name (actorName) where an enterprise acted: its login subject is
 * `enterprise:<统一社会信用代码>`, which a supervisor should read as the enterprise's name, not a code.
 */
export function listAuditNamed(db: Db, f: AuditFilter) {
  return db
    .select({
      entry: auditEntries,
      seq: auditChain.seq,
      hash: auditChain.hash,
      agencyName: agencies.name,
      enterpriseName: enterprises.name,
      actorName: actorEnterprises.name,
    })
    .from(auditEntries)
    .leftJoin(auditChain, eq(auditChain.entryId, auditEntries.id))
    .leftJoin(agencies, eq(agencies.code, auditEntries.agencyCode))
    .leftJoin(enterprises, eq(enterprises.creditCode, auditEntries.enterpriseCode))
    // The credit code cut out of the subject, not the subject built from each credit code: written this way the
    // join is a primary-key probe per entry; the other way round it compared each entry with every enterprise
    // (9.3 s a page at 1 M enterprises, docs/BENCHMARKS.md).
    .leftJoin(
      actorEnterprises,
      and(
        eq(auditEntries.role, 'enterprise'),
        sql`left(${auditEntries.actor}, ${sql.raw(String(ENTERPRISE_SUBJECT.length))}) = ${ENTERPRISE_SUBJECT}`,
        eq(actorEnterprises.creditCode, sql`substr(${auditEntries.actor}, ${sql.raw(String(ENTERPRISE_SUBJECT.length + 1))})`),
      ),
    )
    .where(conditions(f))
    .orderBy(desc(auditEntries.id))
    .limit(f.limit)
    .offset(f.offset);
}
