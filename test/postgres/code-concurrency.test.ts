import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inspectionCodes, inspections } from '../../src/db/schema/index.js';
import { newEnterprise } from '../support/factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newInspection } from '../support/plan-factories.js';
import { anotherInstance, createTestApp, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

/** Only PostgreSQL runs transactions concurrently; PGlite serialises them, so this proves nothing there. */
describePg('code issuance under concurrency at a frequency cap (Art. 15)', () => {
  let a: TestApp;
  let b: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    a = await createTestApp();
    // A second API instance on the same database, trusting the same keys.
    b = await anotherInstance(a);
    w = await newInspectionWorld(a);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  async function race(enterpriseCode: string, n: number, apps: TestApp[]) {
    // One inspection already counted this year: one slot left under the cap of 2.
    await newInspection(a.db, { agencyCode: w.agency.code, enterpriseCode, matterCodes: [w.matter], countedDate: '2026-02-10' });
    const ids: string[] = [];
    for (let k = 0; k < n; k++) ids.push(await approvedInspection(a, w, { enterpriseCode }));
    const results = await Promise.all(
      ids.map((id, k) => apps[k % apps.length]!.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })),
    );
    const [issued] = await a.db
      .select({ n: count() })
      .from(inspectionCodes)
      .innerJoin(inspections, eq(inspections.id, inspectionCodes.inspectionId))
      .where(eq(inspections.enterpriseCode, enterpriseCode));
    return { statuses: results.map((r) => r.statusCode), codes: results.map((r) => r.json().code), issued: Number(issued!.n) };
  }

  it('issues exactly one code for 20 parallel requests when one slot is left', async () => {
    const r = await race(w.enterprise.creditCode, 20, [a]);
    expect(r.statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(r.codes.filter((c) => c === 'FREQUENCY_CAP')).toHaveLength(19);
    expect(r.issued).toBe(1);
  });

  it('holds with two API instances serving the requests', async () => {
    const e = await newEnterprise(a.db, { districtCode: w.districtCode });
    const r = await race(e.creditCode, 20, [a, b]);
    expect(r.statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(r.codes.filter((c) => c === 'FREQUENCY_CAP')).toHaveLength(19);
    expect(r.issued).toBe(1);
  });
});
