import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';

/**
 * The recorded switch to append MACs (audit_format_switch): the first chain position that must carry a MAC.
 * Chain rows before it were sealed in format 1, which has none. A missing record reads as 1 — every row must
 * carry a MAC — so deleting it only makes verification stricter.
 */
export async function recordedMacFrom(db: Db): Promise<number> {
  const res = await db.execute<{ mac_from: string | number | null }>(sql`SELECT min(mac_from) AS mac_from FROM audit_format_switch`);
  const v = (res as unknown as { rows: { mac_from: string | number | null }[] }).rows[0]?.mac_from;
  return v == null ? 1 : Math.max(1, Number(v));
}

/**
 * The switch verification holds the chain to: the earliest of the recorded one and the one each genuine
 * checkpoint signed (a database owner can move the record, not the signatures).
 */
export function effectiveMacFrom(recorded: number, signed: (number | undefined)[]): number {
  return signed.reduce<number>((min, v) => (v === undefined ? min : Math.min(min, v)), recorded);
}
