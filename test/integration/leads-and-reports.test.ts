import { describe, expect, it } from 'vitest';
import { as, newEnterprise } from '../support/factories.js';
import { approvedInspection, draftBody, type InspectionWorld } from '../support/inspection-world.js';
import { inspectionWorldPerFile } from '../support/inspection-world-suite.js';
import type { TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/** 第九条 (a lead list ending in 等) and 第四十条第（五）项 (a disguised inspection needs a sign of its label). */
describeDb('case leads and enterprise reports read to the letter (第九条、第四十条第（五）项)', () => {
  let t: TestApp;
  let w: InspectionWorld;

  inspectionWorldPerFile({ cap: 50, now: '2026-04-01T10:00:00+08:00' }, (s) => ({ t, w } = s));

  const draftCase = (over: Record<string, unknown>) => t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { kind: 'case', ...over }) });

  describe('第九条 投诉举报、转办交办、平台监测、企业申请等', () => {
    it('第九条 takes a lead of another kind (a newspaper report) when it says what it is and where it is found', async () => {
      const res = await draftCase({ leadKind: 'other', leadRef: '《长江日报》2026年3月28日报道某食品企业后厨卫生问题' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().inspection).toMatchObject({ kind: 'case', leadKind: 'other' });
      const labels = (await t.call({ method: 'GET', url: '/api/v1/labels' })).json();
      expect(labels.leadKinds.other).toBe('其他线索');
    });

    it('第十七条第（一）项 starts an on-site case inspection from its draft, without the head’s approval', async () => {
      const drafted = await draftCase({ leadKind: 'complaint', leadRef: 'TS-START-1', windowStart: '2026-04-01T09:00:00+08:00', windowEnd: '2026-04-01T17:00:00+08:00' });
      expect(drafted.statusCode, drafted.body).toBe(201);
      const started = await t.call({ method: 'POST', url: `/api/v1/inspections/${drafted.json().inspection.id}/start`, as: w.officer, payload: {} });
      expect(started.statusCode, started.body).toBe(200);
      expect(started.json()).toMatchObject({ state: 'in_progress', stateZh: '检查中' });
    });

    it('第九条 refuses an other lead with nothing to trace (有线索可查)', async () => {
      const res = await draftCase({ leadKind: 'other' });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'CASE_WITHOUT_LEAD', article: '第九条、第十三条' });
      expect(res.json().detail).toContain('出处');
    });

    it('第九条 names every lead kind it takes when a case inspection has none', async () => {
      const res = await draftCase({});
      expect(res.statusCode).toBe(422);
      const detail = res.json().detail as string;
      for (const zh of ['投诉举报', '移送', '转办交办', '平台监测', '企业申请', '跟踪检查', '其他线索']) expect(detail).toContain(zh);
    });
  });

  describe('第四十条第（五）项 不得以观摩、督导、考察等名义行检查之实', () => {
    const report = (creditCode: string, visitedAt: string, prohibitions: string[] = [], agencyCode = w.agency.code) =>
      t.call({ method: 'POST', url: '/api/v1/enterprise-reports', as: as.enterprise(creditCode), payload: { visitedAt, agencyCode, description: '两人到店查看后厨', prohibitions } });
    const rules = (res: { json(): { flags: { rule: string }[] } }) => res.json().flags.map((f) => f.rule).sort();

    it('第十七条、第四十条第（五）项 a code-less visit is a code-less inspection; it is disguised only with the sign of its label', async () => {
      const plain = await report(w.enterprise.creditCode, '2026-03-30T10:00:00+08:00');
      expect(plain.statusCode, plain.body).toBe(201);
      expect(rules(plain)).toEqual(['ONSITE_WITHOUT_CODE']);
      // Another day's visit: one report per visit (issue 23) would refuse a second report of the first.
      const labelled = await report(w.enterprise.creditCode, '2026-03-29T15:00:00+08:00', ['disguised_label']);
      expect(rules(labelled)).toEqual(['DISGUISED_INSPECTION', 'ONSITE_WITHOUT_CODE']);
      const disguised = labelled.json().flags.find((f: { rule: string }) => f.rule === 'DISGUISED_INSPECTION');
      expect(disguised.article).toBe('第四十条第（五）项');
    });

    it('第二条、第四条、第四十条第（五）项 raises neither when the engine recorded the visit as outside the Order', async () => {
      const institute = await newEnterprise(t.db, { districtCode: w.districtCode, entityType: 'public_institution', name: '武昌区某事业单位（测试）' });
      const id = await approvedInspection(t, w, { enterpriseCode: institute.creditCode, windowStart: '2026-03-31T09:00:00+08:00', windowEnd: '2026-03-31T17:00:00+08:00' });
      t.clock.set('2026-03-31T09:30:00+08:00');
      const started = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/start`, as: w.officer, payload: {} });
      expect(started.statusCode, started.body).toBe(200);
      expect(started.json().underOrder).toBe(false);
      t.clock.set('2026-04-01T10:00:00+08:00');
      const res = await report(institute.creditCode, '2026-03-31T10:00:00+08:00', ['disguised_label']);
      expect(res.statusCode, res.body).toBe(201);
      expect(rules(res)).toEqual([]);
    });
  });
});
