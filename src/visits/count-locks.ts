import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { planItems, plans } from '../db/schema/index.js';

/**
 * The advisory locks a write takes before it counts and writes a routine inspection (Art. 13, 15): the
 * enterprise's, and the sampling key's of each matter a class plan item could apply to.
 *
 * - The enterprise lock (first key 327, src/visits/repository.ts lockEnterprise) serialises two codes racing for
 *   the last place under a frequency cap or a plan item's per-enterprise frequency: they share the enterprise.
 * - The sampling lock (first key 32713, 第十三条 检查比例) serialises two codes racing for the last place of a class
 *   item's sampling ratio: they share the agency, matter, method and year (the key of sampling_totals,
 *   src/db/schema/sampling-counts.ts), not the enterprise, so the enterprise lock alone let both read the same
 *   count and both pass. Taken under it, the facts statement's snapshot (READ COMMITTED: taken after the lock
 *   statement) holds every earlier racer's committed visit, and the second is refused with ROUTINE_WITHOUT_PLAN.
 *
 * Why an advisory lock and not the sampling_totals row FOR UPDATE: the row does not exist before the key's first
 * visit (nothing to lock on an empty year), and a row lock taken by the reader would be taken again by the
 * trigger's upsert at the write — the same row, so harmless, but a second order to reason about. The advisory key
 * exists whether or not the row does.
 *
 * Taken only when a ratio could apply — a routine inspection whose agency's plan of the year has a class item
 * for the matter — so named-only plans (and special and case inspections) keep issuing in parallel across
 * enterprises. The plan may change after this statement and before the facts are read; the code's issuance
 * compares the class items it then reads with the keys locked here (`sampled`) and, when one is missing, locks
 * again and reads again (src/visits/commands/issue-code.ts). An off-site record does not: a class item filed in
 * the few milliseconds between its lock and its draft's plan read is checked without its key's lock.
 *
 * Deadlocks: all of them are taken in ONE statement in one fixed order — the enterprise's first, then the
 * sampling keys by their hash — before the transaction has written or row-locked anything. Every other holder
 * of these locks does the same (lockForCount), or takes only enterprise locks (the joint task, imports, scheme
 * proposals: enterprise locks first, in credit-code order, and never a sampling lock). The row locks that
 * follow — the inspection FOR UPDATE and the plan FOR SHARE in the facts statement, the sampling_counts and
 * sampling_totals rows the trigger upserts on the write — are taken after every advisory lock of the
 * transaction; a transaction that holds such a row and waits never waits for a sampling lock (it took its
 * own before its writes, or takes none), so no cycle goes through them. The rare second lockForCount of a
 * transaction (a row whose keys changed between the peek and the lock, a class item filed in between) may
 * take a key out of that order; PostgreSQL then detects the deadlock and the command retries (isRetryable,
 * src/commands/command.ts).
 *
 * Hash collisions only make two unrelated keys wait for each other.
 */
export const SAMPLING_LOCK = 32713;
const ENTERPRISE_LOCK = 327;

/** The keys of the row to be counted, as SQL: column references (the peek) or parameters (a new row). */
export interface CountLockKeys {
  enterpriseCode: SQL;
  agencyCode: SQL;
  kind: SQL;
  mode: SQL;
  /** An integer. */
  year: SQL;
  /** A text[]. */
  matterCodes: SQL;
}

/**
 * A scalar subquery taking the locks in order; its value is the JSON array of the matters whose sampling key
 * it locked. The inner ORDER BY sits below the lock calls (a subquery with ORDER BY is not flattened), so
 * they run in that order; `locked` is read by the aggregate so the planner keeps the volatile column. The plan
 * tables are aliased: drizzle leaves a one-table select's own columns unqualified, and `id` would be ambiguous.
 */
export function countLocksSql(k: CountLockKeys): SQL {
  return sql`(SELECT coalesce(json_agg(l.matter) FILTER (WHERE l.matter IS NOT NULL AND l.locked IS NOT NULL), '[]'::json)
      FROM (SELECT o.matter, pg_advisory_xact_lock(o.cls, o.key)::text AS locked
              FROM (SELECT ${sql.raw(String(ENTERPRISE_LOCK))} AS cls, hashtext(${k.enterpriseCode}) AS key, NULL::text AS matter
                    UNION
                    SELECT ${sql.raw(String(SAMPLING_LOCK))}, hashtext(concat_ws('|', ${k.agencyCode}, m.code, ${k.mode}, ${k.year})), m.code
                      FROM unnest(${k.matterCodes}) AS m(code)
                     WHERE ${k.kind} = 'routine'
                       AND EXISTS (SELECT 1 FROM ${planItems} AS it JOIN ${plans} AS p ON p.id = it.plan_id
                                    WHERE p.agency_code = ${k.agencyCode} AND p.year = ${k.year}
                                      AND it.matter_code = m.code AND it.target_kind = 'class')
                    ORDER BY 1, 2) AS o) AS l)`;
}

/** The lock keys of a row about to be written, as parameters. */
export function countLockKeys(r: { enterpriseCode: string; agencyCode: string; kind: string; mode: string; countedDate: string; matterCodes: readonly string[] }): CountLockKeys {
  return {
    enterpriseCode: sql`${r.enterpriseCode}::text`,
    agencyCode: sql`${r.agencyCode}::text`,
    kind: sql`${r.kind}::text`,
    mode: sql`${r.mode}::text`,
    year: sql`${Number(r.countedDate.slice(0, 4))}::int`,
    matterCodes: r.matterCodes.length ? sql`ARRAY[${sql.join(r.matterCodes.map((m) => sql`${m}`), sql`, `)}]::text[]` : sql`ARRAY[]::text[]`,
  };
}

/** Takes the enterprise's and the sampling keys' locks (one round trip); returns the matters whose sampling key it locked. */
export async function lockForCount(tx: Db, keys: CountLockKeys): Promise<string[]> {
  const res = await tx.execute(sql`SELECT ${countLocksSql(keys)} AS sampled`);
  return toSampled((res as unknown as { rows: { sampled: unknown }[] }).rows[0]?.sampled);
}

/** The `sampled` value as a list (some drivers hand json over as text). */
export const toSampled = (v: unknown): string[] => ((typeof v === 'string' ? JSON.parse(v) : v) ?? []) as string[];

/**
 * Whether the sampling locks held cover every class item the facts found for the row's matters: false when a
 * class item appeared between the lock statement and the facts (a plan filed or amended in between).
 */
export function samplingCovered(items: readonly { matterCode: string; targetKind: string }[], matterCodes: readonly string[], sampled: readonly string[]): boolean {
  return items.every((it) => it.targetKind !== 'class' || !matterCodes.includes(it.matterCode) || sampled.includes(it.matterCode));
}
