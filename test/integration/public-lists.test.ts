import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agency } from '../../src/registry/agencies.repository.js';
import { as, newAgency, newMatter } from '../support/factories.js';
import { newFiledPlan, newSpecialPlan } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('第七条、第十四条 公布的检查事项清单和检查计划向社会公开', () => {
  let t: TestApp;
  let agency: Agency;
  let other: Agency;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-04-08T10:00:00+08:00' });
    agency = await newAgency(t.db, { name: '武汉市江岸区市场监督管理局' });
    other = await newAgency(t.db, { name: '武汉市江岸区应急管理局' });
  });
  afterAll(() => t.close());

  const anonymous = (url: string) => t.call({ method: 'GET', url: `/api/v1${url}` });
  const matterBody = (over: Record<string, unknown> = {}) => ({
    agencyCode: agency.code,
    matterCode: 'JA-SCJG-001',
    name: '食品经营监督检查',
    legalBasis: '《中华人民共和国食品安全法》第一百一十条',
    domain: 'food',
    ...over,
  });

  describe('第七条 an agency drafts and publishes its own matter list, and the published list is public', () => {
    it('lets an officer draft and the head publish the agency’s own matters, and nobody else', async () => {
      const drafted = await t.call({ method: 'POST', url: '/api/v1/matters', as: as.officer(agency.code), payload: matterBody() });
      expect(drafted.statusCode, drafted.body).toBe(201);
      const id = drafted.json().id as string;
      expect((await t.call({ method: 'POST', url: '/api/v1/matters', as: as.officer(other.code), payload: matterBody() })).json().code).toBe('OUT_OF_SCOPE');
      expect((await t.call({ method: 'POST', url: '/api/v1/matters', as: as.admin(), payload: matterBody() })).json().code).toBe('FORBIDDEN_ROLE');
      expect((await t.call({ method: 'POST', url: `/api/v1/matters/${id}/publish`, as: as.head(other.code), payload: { effectiveFrom: '2026-04-01' } })).json().code).toBe('OUT_OF_SCOPE');
      const published = await t.call({ method: 'POST', url: `/api/v1/matters/${id}/publish`, as: as.head(agency.code), payload: { effectiveFrom: '2026-04-01' } });
      expect(published.statusCode, published.body).toBe(200);
      expect(published.json()).toMatchObject({ state: 'published', effectiveFrom: '2026-04-01' });
    });

    it('shows the published list in force without login, never a draft', async () => {
      await newMatter(t.db, agency.code, { matterCode: 'JA-SCJG-002', state: 'draft', effectiveFrom: null });
      const res = await anonymous(`/matters/public?agency=${agency.code}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().map((m: { matterCode: string }) => m.matterCode)).toEqual(['JA-SCJG-001']);
      expect((await anonymous(`/matters/public?agency=${agency.code}&date=2026-03-31`)).json()).toEqual([]);
      expect((await anonymous('/matters')).statusCode).toBe(401);
    });
  });

  describe('第十四条 published annual and special plans are public', () => {
    it('lists published plans without login, and not those only filed', async () => {
      const published = await newFiledPlan(t.db, agency.code, 2026, ['JA-SCJG-001'], { state: 'published', publishedAt: new Date('2026-03-20T02:00:00Z') });
      await newFiledPlan(t.db, other.code, 2026, ['JA-YJGL-001']);
      const res = await anonymous('/plans/public?year=2026');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().map((p: { id: string }) => p.id)).toEqual([published.id]);
      // The factory's plan has an on-site and an off-site item for its one matter.
      expect(res.json()[0].items.map((i: { matterCode: string }) => i.matterCode)).toEqual(['JA-SCJG-001', 'JA-SCJG-001']);
    });

    it('lists published special plans without login, and not drafts', async () => {
      const published = await newSpecialPlan(t.db, agency.code, ['JA-SCJG-001']);
      await newSpecialPlan(t.db, other.code, ['JA-YJGL-001'], { state: 'draft' });
      const res = await anonymous('/special-plans/public');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().map((p: { id: string }) => p.id)).toEqual([published.id]);
    });
  });
});
