import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweep } from '../../src/sweeper/run.js';
import { as, newAgency, newDistrict, newJusticeBureau } from '../support/factories.js';
import { flagsOf } from '../support/sweep-helpers.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第二条 (本市行政区域内) and 第十三条 (于每年3月31日前报…备案): who bears the 31 March duty. Agencies outside Wuhan,
 * deactivated ones and ones registered after 31 March are not flagged PLAN_FILING_DEADLINE, and the dashboard does
 * not list them as 未报送.
 */
describeDb('who has the 31 March duty (第二条、第十三条)', () => {
  let t: TestApp;
  const codes: Record<'wuhan' | 'outside' | 'inactive' | 'registeredLate', string> = { wuhan: '', outside: '', inactive: '', registeredLate: '' };
  let cityBureau = '';

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-04-01T09:00:00+08:00' });
    const d = await newDistrict(t.db, { name: '洪山区（测试）' });
    await newJusticeBureau(t.db, { districtCode: d.code, name: '洪山区司法局（测试）' });
    cityBureau = (await newJusticeBureau(t.db, { name: '武汉市司法局（测试）' })).code;
    const yichang = await newDistrict(t.db, { code: '420500', name: '宜昌市', kind: 'outside' });
    codes.wuhan = (await newAgency(t.db, { districtCode: d.code, name: '洪山区应急管理局（测试）' })).code;
    codes.outside = (await newAgency(t.db, { level: 'district', districtCode: yichang.code, name: '宜昌市市场监督管理局（测试）' })).code;
    codes.inactive = (await newAgency(t.db, { districtCode: d.code, name: '洪山区已撤销局（测试）', active: false })).code;
    codes.registeredLate = (await newAgency(t.db, { districtCode: d.code, name: '洪山区新设局（测试）', createdAt: new Date('2026-04-01T00:30:00Z') })).code;
  });
  afterAll(() => t.close());

  describe('第十三条 PLAN_FILING_DEADLINE', () => {
    it('第二条、第十三条 flags only an active Wuhan agency registered by 31 March, and the dashboard follows', async () => {
      await runSweep(t.db, t.clock);
      expect(await flagsOf(t.db, 'PLAN_FILING_DEADLINE', codes.wuhan)).toHaveLength(1);
      for (const code of [codes.outside, codes.inactive, codes.registeredLate]) expect(await flagsOf(t.db, 'PLAN_FILING_DEADLINE', code)).toEqual([]);

      const board = (await t.call({ method: 'GET', url: '/api/v1/stats/dashboard?year=2026', as: as.supervisor(cityBureau) })).json();
      const missing = (board.plans.missingAgencies as { agencyCode: string }[]).map((a) => a.agencyCode);
      expect(missing).toContain(codes.wuhan);
      for (const code of [codes.outside, codes.inactive, codes.registeredLate]) expect(missing).not.toContain(code);
      expect((board.plans.registeredAfterDeadline as { agencyCode: string }[]).map((a) => a.agencyCode)).toContain(codes.registeredLate);
    });
  });
});
