import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, describePg, type TestDatabase } from '../support/test-database.js';

/**
 * The public check with DATABASE_REPLICA_URL (src/db/replica.ts): it answers from the replica with the
 * answer's freshness, and from the primary — saying so — when the replica does not answer. (The read from a
 * real streaming standby, and the revocation's time to reach it, are in failover.test.ts.)
 */
describePg('the public check on a read replica', () => {
  let base: TestDatabase;
  const opened: Database[] = [];
  const apps: TestApp[] = [];
  let w: InspectionWorld;
  let code: string;

  async function appWithReplica(replicaUrl: string): Promise<TestApp> {
    const database = await openDatabase({ url: base.url!, replicaUrl, poolSize: 4 });
    opened.push(database);
    const t = await createTestApp({ testDb: { ...base, database }, devKey: apps[0]?.devKey, keyring: apps[0]?.keyring });
    apps.push(t);
    return t;
  }

  beforeAll(async () => {
    base = await createTestDatabase();
    const t = await createTestApp({ testDb: base });
    apps.push(t);
    w = await newInspectionWorld(t);
    const id = await approvedInspection(t, w);
    const issued = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
    expect(issued.statusCode, issued.body).toBe(201);
    code = issued.json().code;
  });
  afterAll(async () => {
    for (const t of apps.reverse()) await t.app.close();
    for (const d of opened) await d.close();
    await base.drop();
  });

  it('answers from a replica that is current, with the time its answer is as of', async () => {
    // A server that is not in recovery is current by definition: its freshness is its own now.
    const t = await appWithReplica(base.url!);
    const before = Date.now();
    const res = await t.call({ method: 'GET', url: `/api/v1/codes/${code}` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.status).toBe('not_yet_valid');
    expect(body.freshness).toMatchObject({ source: 'replica' });
    expect(body.freshness.lagMs).toBeLessThan(5000);
    expect(Date.parse(body.freshness.asOf)).toBeGreaterThanOrEqual(before - 5000);
  });

  it('asks the primary about a code the replica does not know, which may have been issued a moment ago', async () => {
    const t = await appWithReplica(base.url!);
    const res = await t.call({ method: 'GET', url: '/api/v1/codes/JC-2026-NOSUCH01' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'unknown', freshness: { source: 'primary' } });
  });

  it('falls back to the primary, and says so, when the replica does not answer', async () => {
    const t = await appWithReplica('postgres://postgres@127.0.0.1:1/nowhere');
    const res = await t.call({ method: 'GET', url: `/api/v1/codes/${code}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ code, status: 'not_yet_valid', freshness: { source: 'primary', lagMs: 0 } });
  });
});
