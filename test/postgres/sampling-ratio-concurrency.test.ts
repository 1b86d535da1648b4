import { afterAll, beforeAll, expect, it } from 'vitest';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { expectRatioRefusal, issueCode, keptEnterprises, lastSamplingPlace, racingScheme, recordOffsite } from '../support/sampling-race.js';
import { anotherInstance, createTestApp, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

/**
 * Two enterprises, one place left under a class item's sampling ratio, both asking at once. They share no
 * enterprise lock, only the sampling key (agency, matter, method, year): without its lock (src/visits/count-locks.ts)
 * both read the same kept count and both pass. Only PostgreSQL runs the two transactions concurrently (PGlite
 * serialises them: test/integration/sampling-ratio-race.test.ts is the same scenario one after the other).
 * Several rounds, each on a fresh key, two API instances on one database, so a lucky interleaving cannot pass.
 */
describePg('第十三条 检查比例：两家企业同时争抢最后一个抽查名额，只有一家获得检查码', () => {
  let a: TestApp;
  let b: TestApp;
  let w: InspectionWorld;
  const ROUNDS = 5;

  beforeAll(async () => {
    a = await createTestApp();
    b = await anotherInstance(a);
    w = await newInspectionWorld(a, { cap: 100 });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('issues exactly one of two codes racing for the last place; the other is refused with ROUTINE_WITHOUT_PLAN', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const p = await lastSamplingPlace(a, w);
      const ids = [await racingScheme(a, p, p.racers[0]), await racingScheme(a, p, p.racers[1])];
      const results = await Promise.all([issueCode(a, p, ids[0]!), issueCode(b, p, ids[1]!)]);
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses, `round ${round}: ${results.map((r) => `${r.statusCode} ${r.json().rule ?? ''}`).join(', ')}`).toEqual([201, 422]);
      expectRatioRefusal(results.find((r) => r.statusCode === 422)!.json(), p.cap);
      expect(await keptEnterprises(a, p)).toBe(p.cap);
    }
  });

  it('records exactly one of two off-site inspections racing for the last place of an off-site class item', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const p = await lastSamplingPlace(a, w, 'offsite');
      const results = await Promise.all([recordOffsite(a, p, p.racers[0]), recordOffsite(b, p, p.racers[1])]);
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses, `round ${round}: ${results.map((r) => `${r.statusCode} ${r.json().rule ?? ''}`).join(', ')}`).toEqual([201, 422]);
      expectRatioRefusal(results.find((r) => r.statusCode === 422)!.json(), p.cap);
      expect(await keptEnterprises(a, p, 'offsite')).toBe(p.cap);
    }
  });
});
