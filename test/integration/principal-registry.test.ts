import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { as, newAgency } from '../support/factories.js';
import { newFlag, newTwoDistricts, type TwoDistricts } from '../support/supervision-factories.js';
import { anotherInstance, createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第六条 市、区司法行政部门……履行行政执法监督职责: who supervises, and how far, is what the registry says
 * of the caller's justice bureau — never an optional claim of the token (issue 15).
 */
describeDb('第六条 监督人员的范围由登记的司法行政部门决定，而非令牌的可选声明', () => {
  let t: TestApp;
  let w: TwoDistricts;
  const flagIds = { d1: '', d2: '', city: '', bureau: '' };

  beforeAll(async () => {
    t = await createTestApp({ config: { publicRateLimit: 1_000_000 } });
    w = await newTwoDistricts(t.db);
    const at = '2026-04-01T02:00:00Z';
    flagIds.d1 = await newFlag(t.db, at, { rule: 'CODE_NOT_SCANNED', agencyCode: w.d1.agency.code, districtCode: w.d1.code });
    flagIds.d2 = await newFlag(t.db, at, { rule: 'CODE_NOT_SCANNED', agencyCode: w.d2.agency.code, districtCode: w.d2.code });
    flagIds.city = await newFlag(t.db, at, { rule: 'CODE_NOT_SCANNED', agencyCode: w.cityAgency.code });
    // A justice bureau that itself inspects (and so can be flagged).
    flagIds.bureau = await newFlag(t.db, at, { rule: 'CODE_NOT_SCANNED', agencyCode: w.d1.bureau.code, districtCode: w.d1.code });
  });
  afterAll(() => t.close());

  const flagList = async (who: Principal) => {
    const res = await t.call({ method: 'GET', url: '/api/v1/flags?limit=200', as: who });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { id: string }[]).map((f) => f.id);
  };

  it('gives a district bureau without a district claim its own district only, and ignores a claim of another district', async () => {
    for (const who of [as.supervisor(w.d1.bureau.code), as.supervisor(w.d1.bureau.code, w.d2.code)]) {
      const ids = await flagList(who);
      expect(ids).toContain(flagIds.d1);
      expect(ids).not.toContain(flagIds.d2);
      expect(ids).not.toContain(flagIds.city);
      const me = (await t.call({ method: 'GET', url: '/api/v1/me', as: who })).json();
      expect(me.district).toBe(w.d1.code);
      const noDisturb = await t.call({ method: 'POST', url: '/api/v1/no-disturb', as: who, payload: { enterpriseCode: w.d2.enterprise.creditCode, fromDate: '2026-04-01', reason: '信用良好', basis: '武汉市测试文件（示范）' } });
      expect(noDisturb.json().code, noDisturb.body).toBe('OUT_OF_SCOPE');
    }
    // The city bureau reads every district; a district claim cannot narrow (or widen) it either.
    expect(await flagList(as.supervisor(w.cityBureau.code, w.d1.code))).toEqual(expect.arrayContaining([flagIds.d1, flagIds.d2, flagIds.city]));
  });

  it('refuses a supervisor token of an agency that is not a justice bureau, even on a flag against that agency', async () => {
    const market = as.supervisor(w.d1.agency.code);
    const dismiss = await t.call({ method: 'POST', url: `/api/v1/flags/${flagIds.d1}/dismiss`, as: market, payload: { note: '自查无问题' } });
    expect(dismiss.statusCode).toBe(403);
    expect(dismiss.json()).toMatchObject({ code: 'SUPERVISOR_NOT_JUSTICE_BUREAU' });
    expect(dismiss.json().detail).toContain(w.d1.agency.name);
    expect((await t.call({ method: 'GET', url: '/api/v1/audit/verify', as: as.supervisor('NO-SUCH-BUREAU') })).json().code).toBe('PRINCIPAL_UNKNOWN');
  });

  it('never lets a bureau review a flag against itself; the city bureau reviews it', async () => {
    const own = await t.call({ method: 'POST', url: `/api/v1/flags/${flagIds.bureau}/acknowledge`, as: as.supervisor(w.d1.bureau.code), payload: {} });
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('OUT_OF_SCOPE');
    const city = await t.call({ method: 'POST', url: `/api/v1/flags/${flagIds.bureau}/acknowledge`, as: as.supervisor(w.cityBureau.code), payload: {} });
    expect(city.statusCode, city.body).toBe(200);
  });

  it('stops an agency’s tokens as soon as the agency is deactivated, on this instance and on another', async () => {
    const agency = await newAgency(t.db, { name: '武汉市测试撤并局' });
    const other = await anotherInstance(t);
    try {
      const head = as.head(agency.code);
      for (const app of [t, other]) expect((await app.call({ method: 'GET', url: '/api/v1/me', as: head })).statusCode).toBe(200);
      const patched = await t.call({ method: 'PATCH', url: `/api/v1/agencies/${agency.code}`, as: as.admin(), payload: { active: false } });
      expect(patched.json()).toMatchObject({ active: false });
      expect((await t.call({ method: 'GET', url: '/api/v1/me', as: head })).json().code).toBe('PRINCIPAL_INACTIVE');
      // The other instance learns it from the commit's notification.
      await expect.poll(async () => (await other.call({ method: 'GET', url: '/api/v1/me', as: head })).json().code, { timeout: 5000 }).toBe('PRINCIPAL_INACTIVE');
      await t.call({ method: 'PATCH', url: `/api/v1/agencies/${agency.code}`, as: as.admin(), payload: { active: true } });
      await expect.poll(async () => (await other.call({ method: 'GET', url: '/api/v1/me', as: head })).statusCode, { timeout: 5000 }).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('admits a justice bureau registered after its first refused call (the refusal is not cached past the change)', async () => {
    const code = `SFJ-LATE-${Date.now()}`;
    expect((await t.call({ method: 'GET', url: '/api/v1/flags', as: as.supervisor(code) })).json().code).toBe('PRINCIPAL_UNKNOWN');
    const created = await t.call({ method: 'POST', url: '/api/v1/agencies', as: as.admin(), payload: { code, name: '武汉市测试司法局', kind: 'organ', level: 'city', isJusticeBureau: true, domains: [] } });
    expect(created.statusCode, created.body).toBe(201);
    expect((await t.call({ method: 'GET', url: '/api/v1/flags', as: as.supervisor(code) })).statusCode).toBe(200);
  });
});
