import type { Db } from '../db/client.js';
import { sql } from 'drizzle-orm';
import { newRowId } from '../db/ids.js';
import { eventData, type EventSource } from '../exchange/event-data.js';
import { auditMacInScope, type AuditMacKeys } from './mac.js';

/** An audit entry as a command states it; its outbound event carries the same fields (src/exchange/event-data.ts). */
export interface AuditInput extends EventSource {
  at: Date;
  actor: string;
  /**
   * The district the entry is filed under (a district supervisor sees its own). Left out, it is derived in
   * SQL: the agency's district when an agency is named, otherwise the enterprise's; null stays null.
   */
  districtCode?: string | null;
  requestId?: string | null;
}

/**
 * Appends an entry inside the caller's transaction (pass `tx`): it commits or rolls back with the change
 * it records. It is chained later by the sealer, so no lock is taken here. The payload hash is computed
 * by PostgreSQL over the jsonb's own text form (deterministic: keys in jsonb order, normalised spacing),
 * so the verifier re-checks every payload inside the database instead of re-serialising it in JavaScript.
 *
 * The entry's id is drawn from the sequence first so the append MAC (src/audit/mac.ts) can cover it: a
 * row copied or written by anything but this module does not verify. That costs one more round trip,
 * which also derives the district when the caller left it out, so the MAC covers the district as stored.
 * The keys are the app's (services.auditMac), given or from the scope the app's entry point opened.
 */
export async function appendAudit(tx: Db, input: AuditInput, keys: AuditMacKeys | undefined = auditMacInScope(), drawn?: DrawnAuditId): Promise<number> {
  const { id, districtCode } = drawn ?? (await drawAuditId(tx, input));
  // One round trip: the entry, its place in the sealer's queue and its outbound event (the outbox of
  // src/exchange, Art. 8, 24, 29) are written by one statement, so none commits without the others.
  await tx.execute(sql`WITH ${auditEntryCtes(input, { id, districtCode }, keys)} SELECT 1`);
  return id;
}

/** The entry's id drawn from the sequence, and its district as it will be stored (the MAC covers both). */
export interface DrawnAuditId {
  id: number;
  districtCode: string | null;
}

/** The id and district of an entry, read in a statement of their own or inside a caller's (auditIdSql). */
export async function drawAuditId(tx: Db, input: AuditInput): Promise<DrawnAuditId> {
  const res = await tx.execute<{ id: string; district_code: string | null }>(sql`SELECT ${auditIdSql(input)}`);
  const first = (res as unknown as { rows: { id: string; district_code: string | null }[] }).rows[0]!;
  return { id: Number(first.id), districtCode: first.district_code };
}

/** Select-list items `id` and `district_code` drawing an entry's id: for a caller that reads other facts in the same statement. */
export const auditIdSql = (input: Pick<AuditInput, 'districtCode' | 'agencyCode' | 'enterpriseCode'>) =>
  sql`nextval(pg_get_serial_sequence('audit_entries', 'id')) AS id, ${districtOf(input)} AS district_code`;

/**
 * The entry as common table expressions (`entry`, `event`, `pending`) of a data-modifying WITH: appendAudit runs
 * them alone; a command that writes its own rows in the same statement (the code issuance) puts them beside
 * its writes, so the entry still commits or rolls back with the change it records.
 */
export function auditEntryCtes(input: AuditInput, { id, districtCode }: DrawnAuditId, keys: AuditMacKeys | undefined = auditMacInScope()) {
  const payload = JSON.stringify(input.payload ?? {});
  const occurredAt = input.at.toISOString();
  const sealed = keys?.sign({
    id,
    occurredAt,
    actor: input.actor,
    role: input.role,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    agencyCode: input.agencyCode ?? null,
    enterpriseCode: input.enterpriseCode ?? null,
    districtCode,
    beforeState: input.before ?? null,
    afterState: input.after ?? null,
    requestId: input.requestId ?? null,
    payload: JSON.parse(payload),
  });
  const data = JSON.stringify(eventData({ ...input, districtCode }));
  return sql`
    entry AS (
      INSERT INTO audit_entries (id, occurred_at, actor, role, action, subject_type, subject_id, agency_code, enterprise_code,
                                 district_code, before_state, after_state, payload, payload_hash, request_id, mac, mac_kid)
      VALUES (${id}, ${occurredAt}, ${input.actor}, ${input.role}, ${input.action}, ${input.subjectType}, ${input.subjectId},
              ${input.agencyCode ?? null}, ${input.enterpriseCode ?? null}, ${districtCode}, ${input.before ?? null},
              ${input.after ?? null}, ${payload}::jsonb, encode(sha256(convert_to((${payload}::jsonb)::text, 'UTF8')), 'hex'),
              ${input.requestId ?? null}, ${sealed?.mac ?? null}, ${sealed?.kid ?? null})
      RETURNING id),
    event AS (
      INSERT INTO domain_events (id, occurred_at, action, subject_type, subject_id, agency_code, enterprise_code, district_code, data, audit_entry_id)
      SELECT ${newRowId()}::uuid, ${occurredAt}::timestamptz, ${input.action}::text, ${input.subjectType}::text, ${input.subjectId}::text,
             ${input.agencyCode ?? null}::text, ${input.enterpriseCode ?? null}::text, ${districtCode}::text, ${data}::jsonb, id FROM entry),
    pending AS (INSERT INTO audit_pending (entry_id) SELECT id FROM entry)`;
}

/** The entry's district: as given, or the named agency's, or (no agency) the named enterprise's. */
function districtOf(input: Pick<AuditInput, 'districtCode' | 'agencyCode' | 'enterpriseCode'>) {
  if (input.districtCode !== undefined) return sql`${input.districtCode}::text`;
  if (input.agencyCode) return sql`(SELECT district_code FROM agencies WHERE code = ${input.agencyCode})`;
  if (input.enterpriseCode) return sql`(SELECT district_code FROM enterprises WHERE credit_code = ${input.enterpriseCode})`;
  return sql`NULL::text`;
}
