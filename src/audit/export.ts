import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { EntryColumns } from './canonical.js';

/**
 * An exported segment of the chain (NDJSON, one chain row with its entry per line), for the offline
 * verifier (src/cli/verify-audit.ts). `payloadText` is the payload exactly as the database stores it
 * (jsonb text), so the verifier can re-check payloadHash without the database.
 */
export interface ExportedRow {
  seq: number;
  format: number;
  prevHash: string;
  hash: string;
  sealedAt: string;
  entry: EntryColumns & {
    id: number;
    occurredAt: string;
    payloadText: string;
    payloadHash: string;
    requestId: string | null;
    mac: string | null;
    macKid: string | null;
  } | null;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** Chain rows fromSeq.. in order, at most `limit`. */
export async function exportSegment(db: Db, fromSeq: number, limit: number): Promise<ExportedRow[]> {
  const res = await db.execute<Record<string, unknown>>(sql`
    SELECT c.seq, c.format, c.prev_hash, c.hash, to_char(c.sealed_at AT TIME ZONE 'UTC', ${sql.raw(ISO)}) AS sealed_at, e.id,
           to_char(e.occurred_at AT TIME ZONE 'UTC', ${sql.raw(ISO)}) AS occurred_at, e.actor, e.role, e.action,
           e.subject_type, e.subject_id, e.agency_code, e.enterprise_code, e.district_code, e.before_state,
           e.after_state, e.payload::text AS payload_text, e.payload_hash, e.request_id, e.mac, e.mac_kid
      FROM audit_chain c LEFT JOIN audit_entries e ON e.id = c.entry_id
     WHERE c.seq >= ${fromSeq}
     ORDER BY c.seq
     LIMIT ${limit}`);
  const rows = (res as unknown as { rows: Record<string, string | number | null>[] }).rows;
  return rows.map((r) => ({
    seq: Number(r.seq),
    format: Number(r.format),
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
    sealedAt: String(r.sealed_at),
    entry:
      r.id === null
        ? null
        : {
            id: Number(r.id),
            occurredAt: String(r.occurred_at),
            actor: String(r.actor),
            role: String(r.role),
            action: String(r.action),
            subjectType: String(r.subject_type),
            subjectId: String(r.subject_id),
            agencyCode: r.agency_code as string | null,
            enterpriseCode: r.enterprise_code as string | null,
            districtCode: r.district_code as string | null,
            beforeState: r.before_state as string | null,
            afterState: r.after_state as string | null,
            payloadText: String(r.payload_text),
            payloadHash: String(r.payload_hash),
            requestId: r.request_id as string | null,
            mac: r.mac as string | null,
            macKid: r.mac_kid as string | null,
          },
  }));
}
