import { afterAll, beforeAll, expect, it } from 'vitest';
import { countLockKeys, lockForCount } from '../../src/visits/count-locks.js';
import { newAgency, newEnterprise, newMatter } from '../support/factories.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { fullItem, newFiledPlan } from '../support/plan-factories.js';
import { expectRatioRefusal, issueCode, keptEnterprises, lastSamplingPlace, racingScheme, recordOffsite } from '../support/sampling-race.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * The scenario of test/postgres/sampling-ratio-concurrency.test.ts one request after the other (PGlite runs one
 * transaction at a time): the second enterprise asking for the last place of a class item's sampling ratio is
 * refused, naming the rule and its article; and the locks are taken only where a ratio could apply.
 */
describeDb('第十三条 检查比例：最后一个抽查名额被占用后，另一家企业的检查码被拒绝', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 100 });
  });
  afterAll(() => t.close());

  it('issues the last place to the first enterprise and refuses the second with ROUTINE_WITHOUT_PLAN', async () => {
    const p = await lastSamplingPlace(t, w);
    const ids = [await racingScheme(t, p, p.racers[0]), await racingScheme(t, p, p.racers[1])];
    const first = await issueCode(t, p, ids[0]!);
    expect(first.statusCode, first.body).toBe(201);
    const second = await issueCode(t, p, ids[1]!);
    expect(second.statusCode, second.body).toBe(422);
    expectRatioRefusal(second.json(), p.cap);
    expect(await keptEnterprises(t, p)).toBe(p.cap);
  });

  it('records the last off-site place for the first enterprise and refuses the second', async () => {
    const p = await lastSamplingPlace(t, w, 'offsite');
    const first = await recordOffsite(t, p, p.racers[0]);
    expect(first.statusCode, first.body).toBe(201);
    const second = await recordOffsite(t, p, p.racers[1]);
    expect(second.statusCode, second.body).toBe(422);
    expectRatioRefusal(second.json(), p.cap);
    expect(await keptEnterprises(t, p, 'offsite')).toBe(p.cap);
  });

  it('locks a sampling key only for a routine inspection of a matter with a class item in the year’s plan', async () => {
    const agency = await newAgency(t.db, { districtCode: w.districtCode, domains: ['food', 'market'] });
    const sampled = (await newMatter(t.db, agency.code)).matterCode;
    const named = (await newMatter(t.db, agency.code)).matterCode;
    const e = await newEnterprise(t.db, { districtCode: w.districtCode });
    await newFiledPlan(t.db, agency.code, 2026, [], {}, [
      fullItem(sampled, { samplingRatio: 0.1 }),
      fullItem(named, { targetKind: 'named', targetClass: null, targetEnterprises: [e.creditCode], samplingRatio: null }),
    ]);
    const keys = (over: { kind?: string; countedDate?: string } = {}) =>
      countLockKeys({ enterpriseCode: e.creditCode, agencyCode: agency.code, kind: 'routine', mode: 'onsite', countedDate: '2026-04-08', matterCodes: [named, sampled], ...over });
    const locked = (over?: Parameters<typeof keys>[0]) => t.db.transaction((tx) => lockForCount(tx, keys(over)));
    expect(await locked()).toEqual([sampled]);
    expect(await locked({ kind: 'special' })).toEqual([]);
    expect(await locked({ countedDate: '2027-01-05' })).toEqual([]);
  });
});
