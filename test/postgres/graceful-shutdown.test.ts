import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { inspectionCodes } from '../../src/db/schema/index.js';
import { signDevToken } from '../../src/auth/dev-key.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, testConfig, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

/** SIGTERM's path: app.close() stops accepting and drains; nothing acknowledged is lost, nothing unacknowledged is kept. */
describePg('graceful shutdown under load', () => {
  let t: TestApp;
  let w: InspectionWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 1000 });
  });
  afterAll(() => t.close());

  it('answers every request it accepted before closing, and each answer matches the database', async () => {
    const ids: string[] = [];
    for (let k = 0; k < 30; k++) ids.push(await approvedInspection(t, w));
    // A second, listening instance on the same database is the one shut down.
    const server = await buildApp(testConfig(), { database: t.testDb.database, clock: t.clock, devKey: t.devKey, keyring: t.keyring, auditMac: t.app.services.auditMac, logger: false });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const { port } = server.server.address() as { port: number };
    const auth = { authorization: `Bearer ${signDevToken(t.devKey, w.officer)}`, connection: 'close' };
    const inflight = ids.map((id) =>
      fetch(`http://127.0.0.1:${port}/api/v1/inspections/${id}/code`, { method: 'POST', headers: auth })
        .then(async (r) => ({ id, status: r.status }))
        .catch(() => ({ id, status: 0 })),
    );
    // Close as soon as the first answer is out, with the rest still in flight or queued.
    await Promise.race(inflight);
    await server.close();
    const results = await Promise.all(inflight);
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThan(0);
    for (const r of results) {
      expect([0, 201, 503]).toContain(r.status);
      const stored = await t.db.select().from(inspectionCodes).where(eq(inspectionCodes.inspectionId, r.id));
      // Acknowledged ⇒ committed; refused at the door (never accepted) ⇒ nothing written.
      expect(stored.length, `inspection ${r.id} answered ${r.status}`).toBe(r.status === 201 ? 1 : 0);
    }
  });
});
