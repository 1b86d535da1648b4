import { and, count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEntries, inspectionRatings } from '../../src/db/schema/index.js';
import { as } from '../support/factories.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { compliantFindings, issuedCode, newFlag } from '../support/supervision-factories.js';
import { anotherInstance, createTestApp, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

/** Two API instances on one PostgreSQL: a flag is reviewed once, an inspection rated once. */
describePg('supervision under concurrency', () => {
  let a: TestApp;
  let b: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    a = await createTestApp();
    b = await anotherInstance(a);
    w = await newInspectionWorld(a, { cap: 5 });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('lets one of ten supervisors resolve an acknowledged flag; the others see it resolved (409)', async () => {
    const id = await newFlag(a.db, '2026-04-01T02:00:00Z', { rule: 'CODE_NOT_SCANNED', agencyCode: w.agency.code });
    await a.call({ method: 'POST', url: `/api/v1/flags/${id}/acknowledge`, as: w.supervisor, payload: {} });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, k) =>
        (k % 2 ? a : b).call({ method: 'POST', url: `/api/v1/flags/${id}/${k % 3 ? 'resolve' : 'dismiss'}`, as: { ...w.supervisor, sub: `supervisor:${k}` }, payload: { note: `意见${k}` } }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'INVALID_TRANSITION')).toBe(true);
    const [steps] = await a.db
      .select({ n: count() })
      .from(auditEntries)
      .where(and(eq(auditEntries.subjectId, id), like(auditEntries.action, 'flag.%ed')));
    // acknowledged + exactly one closing step
    expect(steps!.n).toBe(2);
  });

  it('stores one rating when the same enterprise submits ten at once', async () => {
    const { id } = await issuedCode(a, w);
    a.clock.set('2026-04-08T10:00:00+08:00');
    await compliantFindings(a, w, id);
    const ent = as.enterprise(w.enterprise.creditCode);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, k) => (k % 2 ? a : b).call({ method: 'POST', url: `/api/v1/inspections/${id}/rating`, as: ent, payload: { score: (k % 5) + 1 } })),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual(Array(9).fill('ALREADY_EXISTS'));
    const [n] = await a.db.select({ n: count() }).from(inspectionRatings).where(eq(inspectionRatings.inspectionId, id));
    expect(n!.n).toBe(1);
  });
});
