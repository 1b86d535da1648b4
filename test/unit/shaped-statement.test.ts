import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { inspections } from '../../src/db/schema/index.js';
import { ShapedStatements } from '../../src/db/shaped-statement.js';

// Rendering only: the pool never connects.
const db = drizzle(new pg.Pool()) as unknown as Db;

describe('statements rendered once per shape (src/db/shaped-statement.ts)', () => {
  it('renders the text once and fills each call’s values, as a direct rendering would', () => {
    let builds = 0;
    const s = new ShapedStatements<{ id: string; day: string }, { n: number }>((tx, v, shape) => {
      builds++;
      return sql`SELECT ${shape.n} AS n, (${tx.select().from(inspections).where(eq(inspections.id, v.id))}) AS r, ${v.day}::date AS d`;
    });
    const a = s.render(db, { n: 1 }, { id: 'a', day: '2026-01-01' });
    expect(builds).toBe(2); // the placeholder rendering and its check against the real values
    const b = s.render(db, { n: 1 }, { id: 'b', day: '2026-02-02' });
    expect(builds).toBe(2);
    expect(b.sql).toBe(a.sql);
    expect(b.params).toEqual([1, 'b', '2026-02-02']);
    const direct = s.render(db, { n: 2 }, { id: 'c', day: '2026-03-03' });
    expect(builds).toBe(4);
    expect(direct.params).toEqual([2, 'c', '2026-03-03']);
  });

  it('refuses a builder that computes from a value it was handed as a placeholder', () => {
    const s = new ShapedStatements<{ year: number }, object>((_tx, v) => sql`SELECT ${`${v.year}-01-01`}::date`);
    expect(() => s.render(db, {}, { year: 2026 })).toThrow(/depends on a value outside its placeholders/);
  });

  it('binds a null as NULL, as a direct rendering does, not as its column’s encoding (a jsonb null is not the text null)', () => {
    const s = new ShapedStatements<{ coverage: unknown; id: string }, object>((tx, v) =>
      sql`${tx.update(inspections).set({ planCoverage: v.coverage as never }).where(eq(inspections.id, v.id)).getSQL()}`,
    );
    expect(s.render(db, {}, { coverage: null, id: 'a' }).params).toEqual([null, 'a']);
    expect(s.render(db, {}, { coverage: { itemId: 'x' }, id: 'b' }).params).toEqual(['{"itemId":"x"}', 'b']);
    expect(s.render(db, {}, { coverage: null, id: 'c' }).params).toEqual([null, 'c']);
  });

  it('numbers a per-call tail’s parameters on from the cached ones', () => {
    const s = new ShapedStatements<{ id: string }, object>((_tx, v) => sql`SELECT ${v.id}::text AS a, `);
    const r = s.render(db, {}, { id: 'x' }, sql`${'y'}::text AS b`);
    expect(r.sql).toBe('SELECT $1::text AS a, $2::text AS b');
    expect(r.params).toEqual(['x', 'y']);
  });
});
