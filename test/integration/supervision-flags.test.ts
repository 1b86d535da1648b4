import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { as } from '../support/factories.js';
import { newFlag, newTwoDistricts, type TwoDistricts } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('the violation register: list, filters, jurisdiction and review (Art. 6, 8, 40)', () => {
  let t: TestApp;
  let w: TwoDistricts;
  let city: Principal;
  let sup1: Principal;
  let sup2: Principal;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    w = await newTwoDistricts(t.db);
    city = as.supervisor(w.cityBureau.code);
    sup1 = as.supervisor(w.d1.bureau.code, w.d1.code);
    sup2 = as.supervisor(w.d2.bureau.code, w.d2.code);
    // District 1's agency; a city agency's visit in district 2 (the flag records the district); district 2's agency.
    ids.d1 = await newFlag(t.db, '2026-03-02T02:00:00Z', { rule: 'CODE_NOT_SCANNED', agencyCode: w.d1.agency.code, enterpriseCode: w.d1.enterprise.creditCode });
    ids.cityInD2 = await newFlag(t.db, '2026-04-10T02:00:00Z', { rule: 'DISGUISED_INSPECTION', agencyCode: w.cityAgency.code, enterpriseCode: w.d2.enterprise.creditCode, districtCode: w.d2.code });
    ids.d2 = await newFlag(t.db, '2026-05-20T02:00:00Z', { rule: 'COST_SHIFTED', agencyCode: w.d2.agency.code, enterpriseCode: w.d2.enterprise.creditCode });
  });
  afterAll(() => t.close());

  const list = (as: Principal, query = '') => t.call({ method: 'GET', url: `/api/v1/flags${query}`, as });
  const idsOf = (res: { json(): { id: string }[] }) => res.json().map((f) => f.id);

  it('lists every flag for the city bureau, newest first, with rule, article, names and a total', async () => {
    const res = await list(city);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-total-count']).toBe('3');
    expect(idsOf(res)).toEqual([ids.d2, ids.cityInD2, ids.d1]);
    expect(res.json()[1]).toMatchObject({
      rule: 'DISGUISED_INSPECTION',
      ruleTitleZh: '以观摩、督导、考察等名义变相检查',
      article: '第四十条第（五）项',
      severity: 'high',
      agencyName: '武汉市市场监督管理局（测试）',
      enterpriseName: '汉阳区测试食品有限公司',
      state: 'open',
      stateZh: '待处理',
    });
  });

  it('filters by rule, agency, enterprise, severity, state and period; pages with limit and offset', async () => {
    expect(idsOf(await list(city, '?rule=COST_SHIFTED'))).toEqual([ids.d2]);
    expect(idsOf(await list(city, `?agency=${w.d1.agency.code}`))).toEqual([ids.d1]);
    expect(idsOf(await list(city, `?enterprise=${w.d2.enterprise.creditCode}`))).toEqual([ids.d2, ids.cityInD2]);
    expect(idsOf(await list(city, '?severity=medium'))).toEqual([ids.d1]);
    expect(idsOf(await list(city, '?from=2026-04-10&to=2026-04-10'))).toEqual([ids.cityInD2]);
    expect(idsOf(await list(city, '?state=resolved'))).toEqual([]);
    const page = await list(city, '?limit=1&offset=1');
    expect(idsOf(page)).toEqual([ids.cityInD2]);
    expect(page.headers['x-total-count']).toBe('3');
  });

  it('refuses an unknown rule and a reversed period, naming the field', async () => {
    expect((await list(city, '?rule=NO_SUCH_RULE')).json()).toMatchObject({ status: 400, errors: [{ field: 'query.rule' }] });
    expect((await list(city, '?from=2026-05-01&to=2026-04-01')).json()).toMatchObject({ status: 400, errors: [{ field: 'query.to' }] });
  });

  it('shows a district supervisor the flags of its own agencies, not a city agency’s visit in its district (Art. 6)', async () => {
    expect(idsOf(await list(sup1))).toEqual([ids.d1]);
    expect(idsOf(await list(sup2))).toEqual([ids.d2]);
    // A filter cannot reach outside the jurisdiction.
    expect(idsOf(await list(sup1, `?agency=${w.d2.agency.code}`))).toEqual([]);
    const other = await t.call({ method: 'GET', url: `/api/v1/flags/${ids.d2}`, as: sup1 });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('OUT_OF_SCOPE');
    expect(other.body).not.toContain('COST_SHIFTED');
    const review = await t.call({ method: 'POST', url: `/api/v1/flags/${ids.d2}/acknowledge`, as: sup1, payload: {} });
    expect(review.json().code).toBe('OUT_OF_SCOPE');
  });

  it('is for supervisors only: officers, heads and enterprises are refused', async () => {
    for (const p of [as.officer(w.d1.agency.code), as.head(w.d1.agency.code), as.enterprise(w.d1.enterprise.creditCode)]) {
      expect((await list(p)).json().code).toBe('FORBIDDEN_ROLE');
      expect((await t.call({ method: 'GET', url: `/api/v1/flags/${ids.d1}`, as: p })).statusCode).toBe(403);
    }
  });

  it('reviews a flag: acknowledge, then resolve with a note; every step on the audit chain', async () => {
    t.clock.set('2026-06-01T10:00:00+08:00');
    const ack = await t.call({ method: 'POST', url: `/api/v1/flags/${ids.d1}/acknowledge`, as: sup1, payload: {} });
    expect(ack.json()).toMatchObject({ state: 'acknowledged', stateZh: '已确认', reviewedBy: sup1.sub });
    const noNote = await t.call({ method: 'POST', url: `/api/v1/flags/${ids.d1}/resolve`, as: sup1, payload: { note: '   ' } });
    expect(noNote.json()).toMatchObject({ status: 400, errors: [{ field: 'body.note' }] });
    const missing = await t.call({ method: 'POST', url: `/api/v1/flags/${ids.d1}/resolve`, as: sup1, payload: {} });
    expect(missing.json()).toMatchObject({ status: 400, errors: [{ field: 'body.note' }] });
    const resolved = await t.call({ method: 'POST', url: `/api/v1/flags/${ids.d1}/resolve`, as: sup1, payload: { note: '已约谈并整改，补扫记录已归档' } });
    expect(resolved.json()).toMatchObject({ state: 'resolved', reviewNote: '已约谈并整改，补扫记录已归档' });

    const again = await t.call({ method: 'POST', url: `/api/v1/flags/${ids.d1}/dismiss`, as: city, payload: { note: '误报' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'resolved', allowedEvents: [] });

    const detail = (await t.call({ method: 'GET', url: `/api/v1/flags/${ids.d1}`, as: sup1 })).json();
    expect(detail.flag.state).toBe('resolved');
    expect(detail.audit.map((e: { action: string }) => e.action)).toEqual(['flag.raised', 'flag.acknowledged', 'flag.resolved']);
    expect(detail.audit[2]).toMatchObject({ subjectType: 'flag', subjectId: ids.d1, beforeState: 'acknowledged', afterState: 'resolved' });
    expect(detail.audit[0].payload).toMatchObject({ flagId: ids.d1, rule: 'CODE_NOT_SCANNED' });
  });

  it('dismisses an open flag straight away, with a reason; resolving needs an acknowledgement first', async () => {
    const early = await t.call({ method: 'POST', url: `/api/v1/flags/${ids.cityInD2}/resolve`, as: city, payload: { note: '已整改' } });
    expect(early.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'open', allowedEvents: ['ACKNOWLEDGE', 'DISMISS'] });
    const dismissed = await t.call({ method: 'POST', url: `/api/v1/flags/${ids.cityInD2}/dismiss`, as: city, payload: { note: '经核实为企业邀请的座谈，非检查' } });
    expect(dismissed.json()).toMatchObject({ state: 'dismissed', stateZh: '不予认定', reviewNote: '经核实为企业邀请的座谈，非检查' });
    expect(idsOf(await list(city, '?state=dismissed'))).toEqual([ids.cityInD2]);
  });

  it('counts flags as well as refusals in the rule catalogue', async () => {
    const rules = (await t.call({ method: 'GET', url: '/api/v1/rules' })).json() as { id: string; fired: number }[];
    const fired = (id: string) => rules.find((r) => r.id === id)!.fired;
    expect(fired('COST_SHIFTED')).toBe(1);
    expect(fired('DISGUISED_INSPECTION')).toBe(1);
    expect(fired('CODE_NOT_SCANNED')).toBe(1);
    expect(fired('QUOTA')).toBe(0);
  });
});
