import { getTableColumns, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * Several reads in one statement (one round trip): each query becomes a JSON array of its rows inside one
 * SELECT, and `fromJsonRows` turns them back into the rows drizzle would have returned. For the commands whose
 * round trips count (the code issuance, src/visits/issue-facts.ts); the queries stay the repositories' own.
 */
export const jsonRowsOf = (query: SQLWrapper): SQL => sql`(SELECT coalesce(json_agg(row_to_json(r)), '[]'::json) FROM (${query}) AS r)`;

/** Rows of `table` from row_to_json objects (keys are column names): each value mapped as the driver's would be. */
export function fromJsonRows<T extends PgTable>(table: T, rows: unknown): T['$inferSelect'][] {
  const columns = Object.entries(getTableColumns(table));
  return (rows as Record<string, unknown>[]).map((row) => {
    const out: Record<string, unknown> = {};
    for (const [field, column] of columns) {
      const v = row[column.name];
      // JSON has already decoded json/jsonb (mapping a jsonb string again would parse it a second time).
      out[field] = v === null || v === undefined ? null : column.columnType === 'PgJsonb' || column.columnType === 'PgJson' ? v : column.mapFromDriverValue(v);
    }
    return out as T['$inferSelect'];
  });
}
