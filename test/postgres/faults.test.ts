import { count, eq, inArray } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inspectionCodes } from '../../src/db/schema/index.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

/**
 * The database goes away in the middle of a burst of issuances: the app answers 503 problem+json while it
 * cannot reach PostgreSQL, recovers without a restart, and afterwards every acknowledged code exists and a
 * retry with the same Idempotency-Key yields exactly one code per inspection.
 */
describePg('database faults during code issuance', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let admin: pg.Client;
  let dbName: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 1000 });
    dbName = new URL(t.testDb.url!).pathname.slice(1);
    admin = new pg.Client({ connectionString: t.testDb.url!.replace(`/${dbName}`, '/postgres'), application_name: 'wh327-fault-test' });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`).catch(() => {});
    await admin.end();
    await t.close();
  });

  const killAppSessions = () =>
    admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'wh327-api'`, [dbName]);
  const issue = (id: string) =>
    t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer, headers: { 'idempotency-key': `fault-${id}` } });

  it('acknowledges only what it committed, answers 503 during an outage, and recovers without a restart', async () => {
    const ids: string[] = [];
    for (let k = 0; k < 24; k++) ids.push(await approvedInspection(t, w));

    // Phase 1: a burst while the app's sessions are killed over and over.
    let bursting = true;
    const killer = (async () => {
      while (bursting) {
        await killAppSessions();
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    const burst = await Promise.all(ids.map(issue));
    bursting = false;
    await killer;
    for (const r of burst) {
      expect([201, 503], r.body).toContain(r.statusCode);
      if (r.statusCode === 503) expect(r.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503 });
    }
    const acknowledged = burst.filter((r) => r.statusCode === 201).map((r) => r.json().code as string);
    if (acknowledged.length > 0) {
      const stored = await t.db.select({ code: inspectionCodes.code }).from(inspectionCodes).where(inArray(inspectionCodes.code, acknowledged));
      expect(stored.map((s) => s.code).sort()).toEqual([...acknowledged].sort());
    }

    // Phase 2: the database refuses every connection — the app says so, in problem+json, without hanging.
    await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS false`);
    await killAppSessions();
    const down = await issue(ids[0]!);
    expect(down.statusCode).toBe(503);
    expect(down.headers['content-type']).toContain('application/problem+json');
    expect(down.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect((await t.call({ method: 'GET', url: '/ready' })).statusCode).toBe(503);
    expect((await t.call({ method: 'GET', url: '/health' })).statusCode).toBe(200);

    // Phase 3: the database is back; the same process serves again.
    await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`);
    // A load balancer polls readiness; a session killed a moment ago may fail one probe while the pool drops it.
    let ready = await t.call({ method: 'GET', url: '/ready' });
    for (let k = 0; k < 20 && ready.statusCode !== 200; k++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await t.call({ method: 'GET', url: '/ready' });
    }
    expect(ready.statusCode, ready.body).toBe(200);

    // Clients retry with their Idempotency-Key: exactly one code per inspection, the acknowledged ones unchanged.
    const retried = await Promise.all(ids.map(issue));
    for (const r of retried) expect(r.statusCode, r.body).toBe(201);
    const byId = new Map(retried.map((r, k) => [ids[k]!, r.json().code as string]));
    for (const [k, r] of burst.entries()) if (r.statusCode === 201) expect(byId.get(ids[k]!)).toBe(r.json().code);
    for (const id of ids) {
      const [row] = await t.db.select({ n: count() }).from(inspectionCodes).where(eq(inspectionCodes.inspectionId, id));
      expect(Number(row!.n)).toBe(1);
    }
  });
});
