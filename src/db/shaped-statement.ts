import { is, Param, Placeholder, sql, type Query, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

/**
 * Statements rendered once per shape instead of on every call (issue 27: CPU per API call).
 *
 * Why: drizzle renders a statement by walking its whole tree of chunks and testing each one's class, which for
 * the code issuance's one facts statement (src/visits/issue-facts.ts, ~20 sub-queries) cost more CPU than the
 * rest of the command. The text of such a statement depends only on its shape (how many matters, routine or
 * not), never on the values: so it is built once per shape with `sql.placeholder`s, rendered once, and each
 * call only fills the values in (as drizzle's `fillPlaceholders` does, so each column's encoder still applies).
 *
 * Safety: a builder that computed something in JavaScript from a value it was handed as a placeholder (a date
 * from a year, a branch on a code) would render a wrong statement. So on each new shape the statement is also
 * built with the call's real values, and the two must render the same text and, once filled, the same
 * parameters; otherwise this throws (and the tests that issue codes fail) rather than run a statement that
 * answers another question. Values a builder branches on belong in the shape. (A column default computed in
 * JavaScript, drizzle's $defaultFn, would be frozen at the first rendering: the schema declares none.)
 *
 * `tail`: a fragment rendered on every call and appended after the cached text (its parameters numbered on
 * from the cached ones), for a part built by code that may compute from its values (the inspection hooks).
 */
/**
 * drizzle's fillPlaceholders, except that a null stays SQL NULL: rendered directly, drizzle binds a null as NULL
 * without its column's encoder, while fillPlaceholders would encode it (a jsonb column's null as the JSON text
 * 'null'), so a filled statement would store something else than the same statement rendered with its values.
 */
function fill(params: unknown[], values: Record<string, unknown>): unknown[] {
  return params.map((p) => {
    const name = is(p, Placeholder) ? p.name : is(p, Param) && is(p.value, Placeholder) ? p.value.name : undefined;
    if (name === undefined) return p;
    if (!(name in values)) throw new Error(`No value for placeholder "${name}" was provided`);
    const v = values[name];
    return v === null || !is(p, Param) ? v : p.encoder.mapToDriverValue(v);
  });
}

export class ShapedStatements<V extends Record<string, unknown>, S> {
  private readonly rendered = new Map<string, Query>();
  private readonly dialect = new PgDialect();

  constructor(
    /** Builds the statement; `v` holds placeholders when rendering a shape, the call's values when checking it. */
    private readonly build: (db: Db, v: V, shape: S) => SQL,
    private readonly maxShapes = 64,
  ) {}

  private rendering(db: Db, shape: S, values: V): Query {
    const key = JSON.stringify(shape);
    let query = this.rendered.get(key);
    if (!query) {
      const placeholders = Object.fromEntries(Object.keys(values).map((k) => [k, sql.placeholder(k)])) as unknown as V;
      query = this.dialect.sqlToQuery(this.build(db, placeholders, shape));
      const direct = this.dialect.sqlToQuery(this.build(db, values, shape));
      if (direct.sql !== query.sql || JSON.stringify(direct.params) !== JSON.stringify(fill(query.params, values))) {
        throw new Error(`statement of shape ${key} depends on a value outside its placeholders`);
      }
      if (this.rendered.size >= this.maxShapes) this.rendered.delete(this.rendered.keys().next().value!);
      this.rendered.set(key, query);
    }
    return query;
  }

  /** The text and parameters one call runs (for tests and benchmarks; `execute` runs them). */
  render(db: Db, shape: S, values: V, tail?: SQL): { sql: string; params: unknown[] } {
    const query = this.rendering(db, shape, values);
    const params = fill(query.params, values);
    if (!tail) return { sql: query.sql, params };
    const d = this.dialect as unknown as { casing: unknown };
    const t = tail.toQuery({
      casing: d.casing as never,
      escapeName: this.dialect.escapeName,
      escapeParam: this.dialect.escapeParam,
      escapeString: this.dialect.escapeString,
      prepareTyping: this.dialect.prepareTyping,
      paramStartIndex: { value: query.params.length },
    });
    return { sql: query.sql + t.sql, params: [...params, ...t.params] };
  }

  /** Runs the statement on `db` (a transaction or the pool), answering as `db.execute` does. */
  async execute<R extends Record<string, unknown>>(db: Db, shape: S, values: V, tail?: SQL): Promise<{ rows: R[] }> {
    const { sql: text, params } = this.render(db, shape, values, tail);
    // What db.execute itself runs after rendering: the session's unnamed prepared query, with the values filled.
    const prepared = db._.session.prepareQuery({ sql: text, params }, undefined, undefined, false);
    return (await prepared.execute()) as unknown as { rows: R[] };
  }
}
