import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, newAgency } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('inspection-matter catalogue (Art. 7) and the working-day calendar', () => {
  let t: TestApp;
  let agencyCode: string;

  // Art. 7: the agency keeps its own list; its head drafts and publishes here.
  let head: ReturnType<typeof as.head>;

  beforeAll(async () => {
    t = await createTestApp();
    agencyCode = (await newAgency(t.db)).code;
    head = as.head(agencyCode);
  });
  afterAll(() => t.close());

  const draft = (over: Record<string, unknown> = {}) =>
    t.call({
      method: 'POST',
      url: '/api/v1/matters',
      as: head,
      payload: { agencyCode, matterCode: 'SCJG-001', name: '食品生产经营监督检查', legalBasis: '《食品安全法》第一百一十条', domain: 'food', foodDrug: true, ...over },
    });
  const published = async (date: string) =>
    (await t.call({ method: 'GET', url: `/api/v1/matters/published?agency=${agencyCode}&matter=SCJG-001&date=${date}`, as: as.officer(agencyCode) })).json();

  it('publishes a matter from its effective date, versions it and withdraws it', async () => {
    const v1 = (await draft()).json();
    expect(v1).toMatchObject({ version: 1, state: 'draft' });
    expect((await published('2026-01-10')).published).toBe(false);

    const pub = await t.call({ method: 'POST', url: `/api/v1/matters/${v1.id}/publish`, as: head, payload: { effectiveFrom: '2026-01-01' } });
    expect(pub.json()).toMatchObject({ state: 'published', effectiveFrom: '2026-01-01' });
    expect(await published('2025-12-31')).toMatchObject({ published: false, article: '第七条' });
    expect((await published('2026-01-10')).version.version).toBe(1);

    // A new version supersedes the old one from its own effective date.
    const v2 = (await draft({ name: '食品生产经营监督检查（2026修订）' })).json();
    expect(v2.version).toBe(2);
    await t.call({ method: 'POST', url: `/api/v1/matters/${v2.id}/publish`, as: head, payload: { effectiveFrom: '2026-06-01' } });
    expect((await published('2026-05-31')).version.version).toBe(1);
    expect((await published('2026-06-01')).version.version).toBe(2);

    // Withdrawn: not published from the day after its last effective day.
    const w = await t.call({ method: 'POST', url: `/api/v1/matters/${v2.id}/withdraw`, as: head, payload: { effectiveTo: '2026-09-30' } });
    expect(w.json()).toMatchObject({ state: 'withdrawn', effectiveTo: '2026-09-30' });
    expect((await published('2026-09-30')).published).toBe(true);
    expect((await published('2026-10-01')).published).toBe(false);
  });

  it('answers an impossible transition with 409, the current state and the events allowed', async () => {
    const v = (await draft({ matterCode: 'SCJG-009' })).json();
    await t.call({ method: 'POST', url: `/api/v1/matters/${v.id}/withdraw`, as: head, payload: {} });
    const res = await t.call({ method: 'POST', url: `/api/v1/matters/${v.id}/publish`, as: head, payload: { effectiveFrom: '2026-01-01' } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'withdrawn', allowedEvents: [] });
  });

  it('keeps the catalogue out of an administrator’s hands (the agency keeps its own list)', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/matters',
      as: as.admin(),
      payload: { agencyCode, matterCode: 'X', name: 'x', legalBasis: 'x', domain: 'food' },
    });
    expect(res.json().code).toBe('FORBIDDEN_ROLE');
  });

  it('computes working days through the API with the official holidays', async () => {
    const officer = as.officer(agencyCode);
    const r1 = await t.call({ method: 'GET', url: '/api/v1/calendar/add-working-days?from=2026-02-10&days=10', as: officer });
    expect(r1.json().result).toBe('2026-03-02');
    const r2 = await t.call({ method: 'GET', url: '/api/v1/calendar/add-working-days?from=2025-09-26&days=10', as: officer });
    expect(r2.json().result).toBe('2025-10-16');
    const day = await t.call({ method: 'GET', url: '/api/v1/calendar/days/2026-02-28', as: officer });
    expect(day.json()).toMatchObject({ kind: 'adjusted_workday', working: true });
  });

  it('refuses an unpublished year, and works once an administrator adds it', async () => {
    const officer = as.officer(agencyCode);
    const before = await t.call({ method: 'GET', url: '/api/v1/calendar/days/2031-01-01', as: officer });
    expect(before.statusCode).toBe(422);
    expect(before.json()).toMatchObject({ code: 'CALENDAR_YEAR_UNPUBLISHED', year: 2031 });
    const put = await t.call({
      method: 'PUT',
      url: '/api/v1/calendar/years/2031',
      as: as.admin(),
      payload: { source: '国务院办公厅关于2031年部分节假日安排的通知', holidays: [{ date: '2031-01-01', name: '元旦' }], workdays: [{ date: '2031-01-05', name: '元旦调休上班' }] },
    });
    expect(put.statusCode).toBe(200);
    const after = await t.call({ method: 'GET', url: '/api/v1/calendar/days/2031-01-05', as: officer });
    expect(after.json()).toMatchObject({ kind: 'adjusted_workday', working: true });
    const wrongYear = await t.call({
      method: 'PUT',
      url: '/api/v1/calendar/years/2032',
      as: as.admin(),
      payload: { source: 's', holidays: [{ date: '2031-01-01', name: '元旦' }], workdays: [] },
    });
    expect(wrongYear.json().errors[0].field).toBe('body.holidays[0].date');
  });
});
