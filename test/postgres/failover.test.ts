import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPending } from '../../src/audit/sealer.js';
import { verifyChain } from '../../src/audit/verify.js';
import { openDatabase } from '../../src/db/client.js';
import { inspectionCodes } from '../../src/db/schema/index.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, testAuditMacKeys, type TestApp } from '../support/test-app.js';
import { pgAvailable } from '../support/test-database.js';
import { LocalCluster, postgresBin } from './local-cluster.js';

/**
 * Failover on PostgreSQL's own replication: a primary and a synchronous standby on this machine, the app
 * connected through a multi-host DATABASE_URL with target_session_attrs=read-write (src/db/hosts.ts). Codes
 * are issued with Idempotency-Keys while the primary is killed; the standby is promoted, the app finds it
 * without a restart, the unanswered requests are retried with the same keys, and every acknowledged code
 * exists exactly once and the audit chain verifies. The public check reads the standby as its replica
 * (DATABASE_REPLICA_URL) before the failover, and the time a revocation takes to show there is measured.
 */
const bin = postgresBin();
const DB = 'wh327_failover';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!bin && pgAvailable()) {
  if (process.env.CI === 'true') {
    describe('failover on streaming replication [pg]', () => {
      it('needs the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) under CI', () => {
        throw new Error('no /usr/lib/postgresql/<major>/bin with initdb, pg_ctl and pg_basebackup: run scripts/setup-system.sh');
      });
    });
  } else {
    console.warn('\n⚠ failover test SKIPPED: no /usr/lib/postgresql/<major>/bin with initdb, pg_ctl and pg_basebackup (scripts/setup-system.sh installs them); under CI=true it fails instead.\n');
  }
}

(bin && pgAvailable() ? describe : describe.skip)('failover on streaming replication [pg]', () => {
  let cluster: LocalCluster;
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    cluster = await LocalCluster.create(bin!, DB);
    const hosts = `127.0.0.1:${cluster.primary.port},127.0.0.1:${cluster.standby.port}`;
    const url = `postgres://postgres@${hosts}/${DB}?target_session_attrs=read-write`;
    const database = await openDatabase({ url, replicaUrl: cluster.url(cluster.standby, DB), replicaMaxLagMs: 5000, poolSize: 10 });
    await database.migrate();
    t = await createTestApp({ testDb: { database, url, drop: () => database.close() } });
    w = await newInspectionWorld(t, { cap: 1000 });
  }, 90_000);
  afterAll(async () => {
    await t?.close().catch(() => {});
    await cluster?.destroy();
  });

  const issue = (id: string) => t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer, headers: { 'idempotency-key': `failover-${id}` } });

  it('the public check reads the replica, says how fresh it is, and shows a revocation within the bound', async () => {
    const id = await approvedInspection(t, w);
    const issued = await issue(id);
    expect(issued.statusCode, issued.body).toBe(201);
    const code = issued.json().code as string;
    const before = (await t.call({ method: 'GET', url: `/api/v1/codes/${code}` })).json();
    expect(before.freshness).toMatchObject({ source: 'replica' });
    expect(before.freshness.lagMs).toBeLessThanOrEqual(5000);
    expect(Date.parse(before.freshness.asOf)).not.toBeNaN();

    const revoked = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/revoke`, as: w.head, payload: { reason: '检查人员调整', category: 'team_changed' } });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const start = performance.now();
    let seen: { status: string; freshness: { source: string } } | undefined;
    while (performance.now() - start < 5000) {
      seen = (await t.call({ method: 'GET', url: `/api/v1/codes/${code}` })).json();
      if (seen!.status === 'revoked') break;
      await sleep(2);
    }
    const ms = performance.now() - start;
    // The figure docs/DEPLOYMENT.md reports; the only bound asserted is REPLICA_MAX_LAG_MS's 5 s.
    console.log(`revocation visible on the replica after ${ms.toFixed(1)} ms (answer from the ${seen?.freshness.source})`);
    expect(seen?.status).toBe('revoked');
    expect(ms).toBeLessThan(5000);
  });

  it('kills the primary under load, reconnects to the promoted standby, and loses no acknowledged code', async () => {
    const ids: string[] = [];
    for (let k = 0; k < 24; k++) ids.push(await approvedInspection(t, w));

    // The load: all issuances at once, the primary killed once the first few have been acknowledged.
    const answers = new Map<string, { status: number; code?: string }>();
    const load = Promise.all(
      ids.map(async (id, k) => {
        await sleep(k * 15);
        const r = await issue(id);
        answers.set(id, { status: r.statusCode, code: r.statusCode === 201 ? (r.json().code as string) : undefined });
        if (r.statusCode !== 201) expect(r.json(), r.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503 });
      }),
    );
    while ([...answers.values()].filter((a) => a.status === 201).length < 4 && answers.size < ids.length) await sleep(5);
    await cluster.killPrimary();
    await load;
    const acknowledged = new Map([...answers].filter(([, a]) => a.status === 201).map(([id, a]) => [id, a.code!]));
    expect(acknowledged.size).toBeGreaterThanOrEqual(4);
    expect(acknowledged.size, 'some requests met the dead primary').toBeLessThan(ids.length);

    await cluster.promoteStandby();
    const promotedAt = performance.now();
    let firstWrite: number | undefined;
    // The unanswered ones are retried with the same keys until the app has found the new primary.
    const deadline = Date.now() + 20_000;
    const retried = new Map<string, string>();
    for (const id of ids.filter((i) => !acknowledged.has(i))) {
      for (;;) {
        const r = await issue(id);
        if (r.statusCode === 201) {
          firstWrite ??= performance.now() - promotedAt;
          retried.set(id, r.json().code as string);
          break;
        }
        expect(r.statusCode, r.body).toBe(503);
        if (Date.now() > deadline) throw new Error(`no primary found within 20 s: ${r.body}`);
        await sleep(200);
      }
    }

    console.log(`failover: ${acknowledged.size} of ${ids.length} acknowledged before the kill, ${retried.size} retried with their keys; first write on the promoted standby ${firstWrite?.toFixed(0)} ms after promotion`);
    // Every inspection has exactly one code, and it is the one its caller was given.
    const stored = await t.db.select({ code: inspectionCodes.code, inspectionId: inspectionCodes.inspectionId }).from(inspectionCodes).where(inArray(inspectionCodes.inspectionId, ids));
    expect(stored).toHaveLength(ids.length);
    const byInspection = new Map(stored.map((s) => [s.inspectionId, s.code]));
    for (const [id, code] of [...acknowledged, ...retried]) expect(byInspection.get(id), id).toBe(code);
    // An acknowledged code asked again with its key is the same code, not a second one.
    const [firstAck] = acknowledged;
    const again = await issue(firstAck![0]);
    expect(again.json().code).toBe(firstAck![1]);
    const [row] = await t.db.select().from(inspectionCodes).where(eq(inspectionCodes.code, firstAck![1]));
    expect(row?.inspectionId).toBe(firstAck![0]);

    // The audit chain, sealed on the new primary, verifies from the genesis.
    await sealPending(t.db, t.clock);
    const report = await verifyChain(t.db, { keyring: t.keyring, macKeys: testAuditMacKeys(), full: true, now: t.clock.now() });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.pending).toBe(0);
  }, 60_000);
});
