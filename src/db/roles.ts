import pg from 'pg';
import { openDatabase } from './client.js';

/**
 * Two database roles (数据库角色分离): the owner creates and alters the schema (migrations); the
 * application runs as a role that owns nothing. Not owning the audit tables, it cannot ALTER them or
 * DISABLE their triggers; not granted UPDATE, DELETE or TRUNCATE on them, it can only append. The sealer's
 * queue (audit_pending) keeps DELETE (the sealer removes what it chained); an entry taken out of the queue
 * by anyone else is still found by verification (never chained).
 */
export const AUDIT_APPEND_ONLY_TABLES = ['audit_entries', 'audit_chain', 'audit_checkpoints', 'audit_verifications', 'audit_format_switch'];

const ROLE_RE = /^[a-z_][a-z0-9_]{0,62}$/;

/** The grants, re-applied after every migration (new tables included). Idempotent. */
export function runtimeGrants(role: string): string[] {
  if (!ROLE_RE.test(role)) throw new Error(`database role "${role}" must match ${ROLE_RE}`);
  const r = `"${role}"`;
  const audit = AUDIT_APPEND_ONLY_TABLES.join(', ');
  return [
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    `REVOKE ALL ON ${audit}, audit_pending FROM PUBLIC`,
    `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${audit} FROM ${r}`,
    `REVOKE UPDATE, TRUNCATE, REFERENCES, TRIGGER ON audit_pending FROM ${r}`,
    // Readiness reads which migrations ran.
    `GRANT USAGE ON SCHEMA drizzle TO ${r}`,
    `GRANT SELECT ON drizzle.__drizzle_migrations TO ${r}`,
  ];
}

/**
 * Migrates as the owner and grants the runtime role its rights; refuses when the runtime role is the owner
 * itself or a superuser (it could then undo every guarantee above).
 */
export async function migrateAsOwner(ownerUrl: string, appRole: string): Promise<void> {
  const owner = await openDatabase({ url: ownerUrl, poolSize: 1, applicationName: 'wh327-migrate' });
  try {
    await owner.migrate();
  } finally {
    await owner.close();
  }
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'wh327-migrate' });
  await client.connect();
  try {
    const { rows } = await client.query<{ current_user: string; super: boolean | null }>(
      'SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = $1) AS super',
      [appRole],
    );
    if (rows[0]!.current_user === appRole) throw new Error(`DATABASE_APP_ROLE "${appRole}" is the owner role itself; the application must run as another role`);
    if (rows[0]!.super === null) throw new Error(`database role "${appRole}" does not exist; create it first (docs/AUDIT.md)`);
    if (rows[0]!.super) throw new Error(`database role "${appRole}" is a superuser; the application role must not be`);
    for (const stmt of runtimeGrants(appRole)) await client.query(stmt);
  } finally {
    await client.end();
  }
}

/**
 * Why the running role could undo the audit log's guarantees, or undefined: it is a superuser, or it owns
 * the audit tables (so it can disable their triggers). Boot logs it; without DATABASE_OWNER_URL on a
 * PostgreSQL server this is the case.
 */
export async function runtimeRoleWeakness(query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>): Promise<string | undefined> {
  const { rows } = await query(
    `SELECT current_user AS role, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS super,
            pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'audit_entries'::regclass), 'USAGE') AS owns`,
  );
  const r = rows[0] as { role: string; super: boolean; owns: boolean } | undefined;
  if (!r) return undefined;
  if (r.super) return `the application runs as superuser "${r.role}": it can rewrite the audit log (set DATABASE_OWNER_URL and a separate DATABASE_URL role, docs/AUDIT.md)`;
  if (r.owns) return `the application role "${r.role}" owns the audit tables and can disable their triggers (set DATABASE_OWNER_URL, docs/AUDIT.md)`;
  return undefined;
}
