import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportSegment } from '../../src/audit/export.js';
import { parseCheckpoints, verifySegment } from '../../src/audit/offline.js';
import { checkpointNow } from '../../src/audit/sealer.js';
import { verifyChain } from '../../src/audit/verify.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, testAuditMacKeys, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

const run = promisify(execFile);

/**
 * The backup drill of docs/DEPLOYMENT.md, as a test: pg_dump of the live database, restored into a new
 * database with pg_restore, and the restored audit log verified twice — by the application's own
 * verification (every hash, every append MAC, every stored checkpoint's signature) and against the
 * checkpoints the original published at /.well-known/audit-checkpoints before the dump (what a third
 * party copied), so a backup that lost or altered entries cannot pass.
 */
describePg('backup drill: pg_dump, pg_restore, audit verification against the published checkpoints', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let work: string;
  let admin: pg.Client;
  let restored: Database | undefined;
  const restoredName = `wh327_restore_${process.pid}_${Date.now().toString(36)}`;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 100 });
    work = await mkdtemp(join(tmpdir(), 'wh327-backup-'));
    const u = new URL(t.testDb.url!);
    u.pathname = '/postgres';
    admin = new pg.Client({ connectionString: u.toString() });
    await admin.connect();
  });
  afterAll(async () => {
    await restored?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await rm(work, { recursive: true, force: true });
    await t.close();
  });

  it('restores a dump whose audit chain verifies, by itself and against the checkpoints published before it', async () => {
    for (let k = 0; k < 3; k++) {
      const id = await approvedInspection(t, w);
      expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).statusCode).toBe(201);
    }
    const policy = { keyring: t.keyring, intervalMs: 1000, witness: t.app.services.auditWitness };
    const checkpoint = await checkpointNow(t.db, t.clock, policy);
    expect(checkpoint).toBeDefined();
    const published = (await t.call({ method: 'GET', url: '/.well-known/audit-checkpoints' })).json();
    expect(published.checkpoints.length).toBeGreaterThanOrEqual(1);

    // The drill: a custom-format dump, a new database, a restore that stops at the first error.
    const dump = join(work, 'wh327.dump');
    await run('pg_dump', ['--format=custom', '--file', dump, t.testDb.url!], { timeout: 60_000 });
    expect((await stat(dump)).size).toBeGreaterThan(0);
    await admin.query(`CREATE DATABASE ${restoredName} TEMPLATE template0`);
    const restoredUrl = new URL(t.testDb.url!);
    restoredUrl.pathname = `/${restoredName}`;
    await run('pg_restore', ['--exit-on-error', '--dbname', restoredUrl.toString(), dump], { timeout: 60_000 });

    restored = await openDatabase({ url: restoredUrl.toString(), poolSize: 2 });
    expect(await restored.ready()).toEqual({ reachable: true, migrated: true });
    const macKeys = testAuditMacKeys();
    const own = await verifyChain(restored.db, { keyring: t.keyring, macKeys, full: true, now: t.clock.now() });
    expect(own.problems).toEqual([]);
    expect(own).toMatchObject({ ok: true, pending: 0, headSeq: checkpoint!.chainSeq, headHash: checkpoint!.headHash });

    const rows = await exportSegment(restored.db, 1, 50_000);
    const offline = verifySegment({ rows, checkpoints: parseCheckpoints(published), keys: published.keys, macKeys, toHead: true });
    expect(offline.problems).toEqual([]);
    expect(offline).toMatchObject({ ok: true, anchored: true, fromSeq: 1, toSeq: checkpoint!.chainSeq });
    expect(offline.checkpointsChecked).toBeGreaterThanOrEqual(1);

    // And the drill can fail: a restore that lost the newest entry (a stale or cut backup) does not pass.
    const cut = verifySegment({ rows: rows.slice(0, -1), checkpoints: parseCheckpoints(published), keys: published.keys, macKeys, toHead: true });
    expect(cut.ok).toBe(false);
  });
});
