import { describe, expect, it } from 'vitest';
import { as, newEnterprise, newMatter } from '../support/factories.js';
import { draftBody, type InspectionWorld } from '../support/inspection-world.js';
import { inspectionWorldPerFile } from '../support/inspection-world-suite.js';
import type { TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/** Art. 11 and 12 read to the letter: the lowest level only where it may inspect; territory includes premises. */
describeDb('jurisdiction read to the letter (第十一条、第十二条)', () => {
  let t: TestApp;
  let w: InspectionWorld;

  inspectionWorldPerFile({ cap: 50, now: '2026-04-01T10:00:00+08:00' }, (s) => ({ t, w } = s));

  type Check = { rule: string; passed: boolean; detail?: string };
  /** A case inspection (a lead, so no plan is needed) drafted by `agencyCode`: its checks. */
  const caseChecks = async (agencyCode: string, over: Record<string, unknown>): Promise<Check[]> => {
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/inspections',
      as: as.officer(agencyCode),
      payload: draftBody(w, { agencyCode, kind: 'case', leadKind: 'complaint', leadRef: `TS-${Math.random().toString(36).slice(2, 8)}`, ...over }),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().checks as Check[];
  };
  const territorial = (checks: Check[]) => checks.find((c) => c.rule === 'JURISDICTION_TERRITORIAL');

  describe('第十一条 原则上由法定的最低一级行政执法主体实施', () => {
    it('第十一条 sends the city agency to the district agency that has the matter on its published list that day, naming it and the matter', async () => {
      const c = territorial(await caseChecks(w.city.code, { matterCodes: [w.matter] }));
      expect(c).toMatchObject({ passed: false });
      expect(c!.detail).toContain(w.agency.name);
      expect(c!.detail).toContain('当日有效的行政检查事项清单');
    });

    it('第十一条、第七条 does not apply the lowest level where the district agency has not published the matter (it may not inspect it)', async () => {
      const cityOnly = (await newMatter(t.db, w.city.code, { name: '大型食品生产企业体系检查（测试）' })).matterCode;
      const c = territorial(await caseChecks(w.city.code, { matterCodes: [cityOnly] }));
      expect(c?.passed ?? true).toBe(true);
    });

    it('第十一条 does not apply it before the district agency’s list takes effect', async () => {
      const later = (await newMatter(t.db, w.city.code, { name: '新设检查事项（测试）' })).matterCode;
      await newMatter(t.db, w.agency.code, { matterCode: later, effectiveFrom: '2026-05-01' });
      const before = territorial(await caseChecks(w.city.code, { matterCodes: [later] }));
      expect(before?.passed ?? true).toBe(true);
      const after = territorial(await caseChecks(w.city.code, { matterCodes: [later], windowStart: '2026-05-06T09:00:00+08:00', windowEnd: '2026-05-06T17:00:00+08:00' }));
      expect(after).toMatchObject({ passed: false });
    });
  });

  describe('第十二条 属地：企业在辖区内的经营场所', () => {
    it('第十二条 a district agency inspecting an enterprise’s premises in its own district acts within its territory; elsewhere it needs the assistance arrangement', async () => {
      const away = await newEnterprise(t.db, { districtCode: w.otherDistrictCode, name: '汉阳注册、武昌设店的食品公司（测试）' });
      const before = (await caseChecks(w.agency.code, { enterpriseCode: away.creditCode })).find((c) => c.rule === 'CROSS_REGION_NO_ASSISTANCE');
      expect(before).toMatchObject({ passed: false });
      const patched = await t.call({ method: 'PATCH', url: `/api/v1/enterprises/${away.creditCode}`, as: as.admin(), payload: { premisesDistrictCodes: [w.districtCode] } });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json().premisesDistrictCodes).toEqual([w.districtCode]);
      const after = (await caseChecks(w.agency.code, { enterpriseCode: away.creditCode })).find((c) => c.rule === 'CROSS_REGION_NO_ASSISTANCE');
      expect(after?.passed ?? true).toBe(true);
      const bad = await t.call({ method: 'PATCH', url: `/api/v1/enterprises/${away.creditCode}`, as: as.admin(), payload: { premisesDistrictCodes: ['NO-SUCH'] } });
      expect(bad.json().errors[0].field).toBe('body.premisesDistrictCodes[0]');
    });
  });
});
