import type { Db } from '../db/client.js';
import { auditEntries, auditPending } from '../db/schema/index.js';
import { sql } from 'drizzle-orm';

/**
 * The payload hash is computed by PostgreSQL over the jsonb's own text form (deterministic: keys in
 * jsonb order, normalised spacing), so the verifier can re-check every payload inside the database at C
 * speed instead of re-serialising each one in JavaScript.
 */
export const payloadHashSql = (payload: unknown) =>
  sql<string>`encode(sha256(convert_to((${JSON.stringify(payload)}::jsonb)::text, 'UTF8')), 'hex')`;

export interface AuditInput {
  at: Date;
  actor: string;
  role: string;
  /** e.g. `plan.submitted`, `inspection.refused`, `flag.raised`, `enterprise.created` */
  action: string;
  subjectType: string;
  subjectId: string;
  agencyCode?: string | null;
  enterpriseCode?: string | null;
  districtCode?: string | null;
  before?: string | null;
  after?: string | null;
  payload?: unknown;
  requestId?: string | null;
}

/**
 * Appends an entry inside the caller's transaction (pass `tx`): it commits or rolls back with the change
 * it records. It is chained later by the sealer, so no lock is taken here.
 */
export async function appendAudit(tx: Db, input: AuditInput): Promise<number> {
  const payload = input.payload ?? {};
  const [row] = await tx
    .insert(auditEntries)
    .values({
      occurredAt: input.at,
      actor: input.actor,
      role: input.role,
      action: input.action,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      agencyCode: input.agencyCode ?? null,
      enterpriseCode: input.enterpriseCode ?? null,
      districtCode: input.districtCode ?? null,
      beforeState: input.before ?? null,
      afterState: input.after ?? null,
      payload,
      payloadHash: payloadHashSql(payload),
      requestId: input.requestId ?? null,
    })
    .returning({ id: auditEntries.id });
  await tx.insert(auditPending).values({ entryId: row!.id });
  return row!.id;
}
