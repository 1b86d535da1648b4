import { afterAll, beforeAll, expect, it } from 'vitest';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { anotherInstance, createTestApp, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

describePg('the public-check cache across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let w: InspectionWorld;
  beforeAll(async () => {
    a = await createTestApp();
    b = await anotherInstance(a);
    w = await newInspectionWorld(a, { cap: 100 });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  async function until(fn: () => Promise<boolean>): Promise<boolean> {
    // Notifications arrive asynchronously after commit; a bounded number of polls, no timing assertion.
    for (let k = 0; k < 50; k++) {
      if (await fn()) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  it('shows a revocation made on one instance on every other instance, though each had the code cached', async () => {
    const id = await approvedInspection(a, w);
    const code = (await a.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).json().code;
    a.clock.set('2026-04-08T10:00:00+08:00');
    b.clock.set('2026-04-08T10:00:00+08:00');
    for (const app of [a, b]) expect((await app.call({ method: 'GET', url: `/api/v1/codes/${code}` })).json().status).toBe('valid');
    const revoked = await b.call({ method: 'POST', url: `/api/v1/codes/${code}/revoke`, as: w.head, payload: { reason: '企业申请改期' } });
    expect(revoked.statusCode).toBe(200);
    // The instance that revoked it forgot its cached view as the command committed: no wait for the notification.
    expect((await b.call({ method: 'GET', url: `/api/v1/codes/${code}` })).json().status).toBe('revoked');
    expect(await until(async () => (await a.call({ method: 'GET', url: `/api/v1/codes/${code}` })).json().status === 'revoked')).toBe(true);
    expect((await a.call({ method: 'GET', url: `/v/${code}` })).body).toContain('已撤销');
  });
});
