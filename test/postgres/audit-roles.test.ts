import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConfiguredDatabase } from '../../src/boot.js';
import { loadConfig } from '../../src/config/config.js';
import { migrateAsOwner, runtimeRoleWeakness } from '../../src/db/roles.js';
import { as, newJusticeBureau } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

/**
 * 第八条、第二十四条 全过程记录：the application's own database role can append to the audit log and
 * nothing more there. Roles and the database are unique to this run (several runs may share the server),
 * and only they are dropped afterwards.
 */
const suffix = randomBytes(4).toString('hex');
const owner = `wh327_own_${suffix}`;
const appRole = `wh327_app_${suffix}`;
const dbName = `wh327_roles_${suffix}`;

function urlAs(adminUrl: string, user: string): string {
  const u = new URL(adminUrl);
  u.username = user;
  u.password = '';
  u.pathname = `/${dbName}`;
  return u.toString();
}

async function adminQuery(stmts: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl')! });
  await admin.connect();
  try {
    for (const s of stmts) await admin.query(s);
  } finally {
    await admin.end();
  }
}

describePg('第八条、第二十四条 数据库角色：应用角色只能追加审计记录', () => {
  let runtime: Database;
  let t: TestApp;
  let appClient: pg.Client;

  beforeAll(async () => {
    const adminUrl = inject('pgAdminUrl')!;
    await adminQuery([`CREATE ROLE ${owner} LOGIN`, `CREATE ROLE ${appRole} LOGIN`, `CREATE DATABASE ${dbName} OWNER ${owner}`]);
    await migrateAsOwner(urlAs(adminUrl, owner), appRole);
    runtime = await openDatabase({ url: urlAs(adminUrl, appRole), poolSize: 4 });
    t = await createTestApp({ testDb: { database: runtime, url: urlAs(adminUrl, appRole), drop: async () => {} } });
    appClient = new pg.Client({ connectionString: urlAs(adminUrl, appRole) });
    await appClient.connect();
  }, 120_000);

  afterAll(async () => {
    await appClient?.end().catch(() => {});
    await t?.close().catch(() => {});
    await runtime?.close().catch(() => {});
    await adminQuery([`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`, `DROP ROLE IF EXISTS ${appRole}`, `DROP ROLE IF EXISTS ${owner}`]);
  });

  it('runs the application as the runtime role: changes are audited, sealed, checkpointed and verify', async () => {
    const city = as.supervisor((await newJusticeBureau(t.db)).code);
    const res = await t.call({ method: 'POST', url: '/api/v1/districts', as: as.admin(), payload: { code: 'R1', name: '角色测试区', kind: 'functional', sort: 1 } });
    expect(res.statusCode).toBe(201);
    expect((await t.call({ method: 'POST', url: '/api/v1/audit/checkpoints', as: city })).statusCode).toBe(201);
    const report = (await t.call({ method: 'GET', url: '/api/v1/audit/verify?full=true', as: city })).json();
    expect(report).toMatchObject({ ok: true, headSeq: 1, checkpoints: 1 });
    expect((await t.call({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });

  it('refuses the runtime role UPDATE, DELETE and TRUNCATE of audit rows, checkpoints and verifications', async () => {
    // "permission denied", not the trigger's own refusal: the privilege is missing, whatever the triggers do.
    const denied = { code: '42501', message: expect.stringMatching(/permission denied/) };
    const column = { audit_entries: 'actor', audit_chain: 'hash', audit_checkpoints: 'kid', audit_verifications: 'kid' };
    for (const [table, col] of Object.entries(column)) {
      await expect(appClient.query(`UPDATE ${table} SET ${col} = ${col}`)).rejects.toMatchObject(denied);
      await expect(appClient.query(`DELETE FROM ${table}`)).rejects.toMatchObject(denied);
      await expect(appClient.query(`TRUNCATE ${table}`)).rejects.toMatchObject(denied);
    }
    // It may append (the sealer's queue keeps DELETE: the sealer empties it; see src/db/roles.ts).
    await expect(appClient.query(`SELECT count(*) FROM audit_entries`)).resolves.toBeDefined();
  });

  it('refuses the runtime role disabling the append-only triggers, altering the tables or bypassing triggers', async () => {
    const notOwner = { code: '42501', message: expect.stringMatching(/must be owner/) };
    await expect(appClient.query('ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only')).rejects.toMatchObject(notOwner);
    await expect(appClient.query('ALTER TABLE audit_chain DISABLE TRIGGER ALL')).rejects.toMatchObject(notOwner);
    await expect(appClient.query('ALTER TABLE audit_entries ADD COLUMN x int')).rejects.toMatchObject(notOwner);
    await expect(appClient.query('DROP TRIGGER audit_chain_append_only ON audit_chain')).rejects.toMatchObject(notOwner);
    await expect(appClient.query('SET session_replication_role = replica')).rejects.toMatchObject({ code: '42501' });
  });

  it('boot names a runtime role that could undo the guarantees (owner or superuser), and not the append-only one', async () => {
    expect(await runtimeRoleWeakness((text) => appClient.query(text))).toBeUndefined();
    const ownerClient = new pg.Client({ connectionString: urlAs(inject('pgAdminUrl')!, owner) });
    await ownerClient.connect();
    try {
      expect(await runtimeRoleWeakness((text) => ownerClient.query(text))).toMatch(/owns the audit tables/);
    } finally {
      await ownerClient.end();
    }
  });

  it('boots from the settings alone: DATABASE_OWNER_URL migrates, DATABASE_URL runs', async () => {
    const adminUrl = inject('pgAdminUrl')!;
    const dataDir = mkdtempSync(join(tmpdir(), 'roles-'));
    try {
      const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: urlAs(adminUrl, appRole), DATABASE_OWNER_URL: urlAs(adminUrl, owner) });
      const database = await openConfiguredDatabase(config);
      try {
        await database.migrate();
        expect(await database.ready()).toEqual({ reachable: true, migrated: true });
        await expect(database.db.execute(sql`ALTER TABLE audit_chain DISABLE TRIGGER ALL`)).rejects.toThrow();
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to grant to the owner role itself or to a role that does not exist', async () => {
    const adminUrl = inject('pgAdminUrl')!;
    await expect(migrateAsOwner(urlAs(adminUrl, owner), owner)).rejects.toThrow(/owner role itself/);
    await expect(migrateAsOwner(urlAs(adminUrl, owner), `${appRole}_missing`)).rejects.toThrow(/does not exist/);
  });
});
