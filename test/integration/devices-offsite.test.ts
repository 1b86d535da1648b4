import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, newEnterprise } from '../support/factories.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { deviceBody, deviceThrough, LEGAL_OK, offsiteBody, SUSPECTED, TECHNICAL_OK } from '../support/referral-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('monitoring devices and off-site inspections (Art. 32–37)', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 3 });
  });
  afterAll(() => t.close());

  const step = (id: string, name: string, payload: Record<string, unknown> = {}, by = w.officer) => t.call({ method: 'POST', url: `/api/v1/devices/${id}/${name}`, as: by, payload });
  const offsite = (over: Record<string, unknown> = {}, by = w.officer) => t.call({ method: 'POST', url: '/api/v1/offsite-inspections', as: by, payload: offsiteBody(w, over) });
  const deviceEvidence = (deviceId: string, capturedAt = '2026-04-02T08:00:00+08:00') => ({
    source: 'monitoring',
    evidence: [{ kind: 'device_data', deviceId, capturedAt, ref: 'DATA-0402-0800', description: '08:00 油烟浓度读数 2.6mg/m³' }],
  });

  describe('a device from registration to use (Art. 34–36)', () => {
    let id: string;

    it('registers a device owned by the agency, or by the enterprise the law obliges', async () => {
      const res = await t.call({ method: 'POST', url: '/api/v1/devices', as: w.officer, payload: deviceBody(w) });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ state: 'registered', ownerKind: 'agency', ownerAgencyCode: w.agency.code, evidenceUsable: false });
      id = res.json().id;
      const byEnterprise = await t.call({ method: 'POST', url: '/api/v1/devices', as: w.officer, payload: deviceBody(w, { owner: { kind: 'enterprise', creditCode: w.enterprise.creditCode } }) });
      expect(byEnterprise.json()).toMatchObject({ ownerKind: 'enterprise', ownerEnterpriseCode: w.enterprise.creditCode, agencyCode: w.agency.code });
      const otherAgency = await t.call({ method: 'POST', url: '/api/v1/devices', as: w.officer, payload: deviceBody(w, { agencyCode: w.city.code }) });
      expect(otherAgency.json().code).toBe('OUT_OF_SCOPE');
    });

    it('refuses data from a registered device as evidence: DEVICE_UNREVIEWED (Art. 35, 36)', async () => {
      const res = await offsite(deviceEvidence(id));
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'DEVICE_UNREVIEWED', article: '第三十五条、第三十六条', observed: { device: id, missing: ['legal', 'technical'] } });
      expect(res.json().violations.map((v: { rule: string }) => v.rule)).toEqual(['DEVICE_UNREVIEWED', 'DEVICE_NOT_PUBLISHED', 'DEVICE_NOT_IN_USE']);
    });

    it('records a failed legal review point by point and keeps the device registered', async () => {
      const res = await step(id, 'legal-review', { ...LEGAL_OK, siteAndSign: { satisfied: false, note: '未设置提示标志' } }, w.head);
      expect(res.json()).toMatchObject({ state: 'registered', legalReview: { passed: false, failedItems: [2] } });
      expect(res.json().legalReview.points).toHaveLength(4);
      const missing = await step(id, 'legal-review', { reasonableAndLawful: LEGAL_OK.reasonableAndLawful }, w.head);
      expect(missing.json()).toMatchObject({ status: 400, code: 'VALIDATION' });
      expect(missing.json().errors[0].field).toMatch(/^body\.(siteAndSign|soleEvidenceBasis|otherLegalRequirements)$/);
    });

    it('refuses publication before both reviews pass (409 with the allowed events)', async () => {
      const res = await step(id, 'publish', { publicationRef: '武昌区市场监管局公告〔2026〕2号' });
      expect(res.json()).toMatchObject({ status: 409, code: 'INVALID_TRANSITION', currentState: 'registered', allowedEvents: ['LEGAL_REVIEW', 'RETIRE', 'TECHNICAL_REVIEW'] });
    });

    it('still refuses evidence after the legal review alone', async () => {
      t.clock.set('2026-04-02T09:00:00+08:00');
      // The registrant may not review their own device (Art. 35).
      const own = (await step(id, 'legal-review', LEGAL_OK)).json();
      expect(own).toMatchObject({ status: 422, code: 'DEVICE_UNREVIEWED', rule: 'DEVICE_UNREVIEWED' });
      expect(own.detail).toContain('登记人以外');
      expect((await step(id, 'legal-review', LEGAL_OK, w.head)).json()).toMatchObject({ state: 'legal_reviewed', soleEvidenceBasis: false, legalReview: { passed: true } });
      t.clock.set('2026-04-02T09:10:00+08:00');
      const res = await offsite(deviceEvidence(id, '2026-04-02T09:05:00+08:00'));
      expect(res.json()).toMatchObject({ code: 'DEVICE_UNREVIEWED', observed: { missing: ['technical'] } });
    });

    it('needs the quality certificate number when the certificate is affirmed (Art. 36(1))', async () => {
      const { qualityCertificateNo: _n, ...noNumber } = TECHNICAL_OK;
      expect((await step(id, 'technical-review', noNumber, w.head)).json()).toMatchObject({ status: 400, errors: [{ field: 'body.qualityCertificateNo' }] });
      expect((await step(id, 'technical-review', TECHNICAL_OK)).json()).toMatchObject({ status: 422, code: 'DEVICE_UNREVIEWED' });
      const res = await step(id, 'technical-review', TECHNICAL_OK, w.head);
      expect(res.json()).toMatchObject({ state: 'reviewed', qualityCertificateNo: 'ZJ-2026-0088', technicalReview: { passed: true, article: '第三十六条' } });
    });

    it('refuses evidence from a reviewed device whose location is not yet published: DEVICE_NOT_PUBLISHED (Art. 34)', async () => {
      t.clock.set('2026-04-02T09:30:00+08:00');
      const res = await offsite(deviceEvidence(id, '2026-04-02T09:20:00+08:00'));
      expect(res.json()).toMatchObject({ status: 422, code: 'DEVICE_NOT_PUBLISHED', article: '第三十四条' });
    });

    it('keeps it off the public list until published, and never shows internal notes or reviews', async () => {
      const before = (await t.call({ method: 'GET', url: '/api/v1/devices/public' })).json();
      expect(before.map((d: { id: string }) => d.id)).not.toContain(id);
      t.clock.set('2026-04-02T10:00:00+08:00');
      expect((await step(id, 'activate', {}, w.head)).json()).toMatchObject({ status: 409, allowedEvents: ['PUBLISH', 'RETIRE'] });
      expect((await step(id, 'publish', { publicationRef: '武昌区市场监管局公告〔2026〕3号' })).json()).toMatchObject({ state: 'published', evidenceUsable: false });
      const res = await t.call({ method: 'GET', url: '/api/v1/devices/public' });
      expect(res.statusCode).toBe(200);
      const listed = res.json().find((d: { id: string }) => d.id === id);
      expect(listed).toMatchObject({ location: deviceBody(w).location, purpose: deviceBody(w).purpose, agency: { code: w.agency.code, name: w.agency.name }, state: 'published' });
      expect(res.body).not.toContain('张工');
      expect(res.body).not.toContain('ZJ-2026-0088');
      expect(Object.keys(listed).sort()).toEqual(['agency', 'districtCode', 'id', 'location', 'name', 'ownerKind', 'publicationRef', 'publishedAt', 'purpose', 'state', 'stateZh']);
    });

    it('第三十四条 accepts data captured in use only: refused before the head put it into use, naming the state', async () => {
      t.clock.set('2026-04-02T10:05:00+08:00');
      const published = await offsite(deviceEvidence(id, '2026-04-02T10:01:00+08:00'));
      expect(published.statusCode).toBe(422);
      expect(published.json()).toMatchObject({ code: 'DEVICE_NOT_IN_USE', article: '第三十四条、第三十七条', observed: { stateAtCapture: 'published' } });
      expect(published.json().detail).toContain('未正式投入使用');
      expect((await step(id, 'activate')).json().code).toBe('FORBIDDEN_ROLE');
      t.clock.set('2026-04-02T10:10:00+08:00');
      expect((await step(id, 'activate', {}, w.head)).json()).toMatchObject({ state: 'in_use', evidenceUsable: true });
      t.clock.set('2026-04-02T10:20:00+08:00');
      const early = await offsite(deviceEvidence(id, '2026-04-02T09:59:00+08:00'));
      expect(early.json().code).toBe('DEVICE_NOT_PUBLISHED');
      const ok = await offsite({ ...deviceEvidence(id, '2026-04-02T10:15:00+08:00'), observedAt: '2026-04-02T10:15:00+08:00' });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().offsite).toMatchObject({ source: 'monitoring', evidence: [{ deviceId: id }] });
    });

    it('goes to maintenance and back, refuses data captured during maintenance, and goes off the public list when retired', async () => {
      t.clock.set('2026-04-02T11:00:00+08:00');
      expect((await step(id, 'maintenance', { note: '季度检测' })).json().state).toBe('maintenance');
      expect((await t.call({ method: 'GET', url: '/api/v1/devices/public' })).json().map((d: { id: string }) => d.id)).not.toContain(id);
      t.clock.set('2026-04-02T12:00:00+08:00');
      expect((await step(id, 'activate', {}, w.head)).json().state).toBe('in_use');
      t.clock.set('2026-04-02T12:10:00+08:00');
      const during = await offsite(deviceEvidence(id, '2026-04-02T11:30:00+08:00'));
      expect(during.json()).toMatchObject({ code: 'DEVICE_NOT_IN_USE', observed: { stateAtCapture: 'maintenance' } });
      expect(during.json().detail).toContain('维护中');
      expect((await t.call({ method: 'GET', url: '/api/v1/devices/public' })).json().map((d: { id: string }) => d.id)).toContain(id);
      expect((await step(id, 'retire', { reason: '设备报废' })).json().state).toBe('retired');
      expect((await t.call({ method: 'GET', url: '/api/v1/devices/public' })).json().map((d: { id: string }) => d.id)).not.toContain(id);
      const detail = (await t.call({ method: 'GET', url: `/api/v1/devices/${id}`, as: w.supervisor })).json();
      // Every refused use of its data is on the device's record too.
      const actions: string[] = detail.history.map((h: { action: string }) => h.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'device.registered',
          'device.legal_review_failed',
          'device.legal_review_passed',
          'device.technical_review_passed',
          'refused.DEVICE_NOT_PUBLISHED',
          'device.published',
          'refused.DEVICE_NOT_IN_USE',
          'device.maintenance',
          'device.retired',
        ]),
      );
      // Evidence refused twice for the reviews, and the registrant's own review attempts (Art. 35, 36).
      expect(actions.filter((a) => a === 'refused.DEVICE_UNREVIEWED').length).toBeGreaterThanOrEqual(4);
      expect(actions.filter((a) => a === 'device.activated')).toHaveLength(2);
      expect((await t.call({ method: 'GET', url: `/api/v1/devices/${id}`, as: as.officer(w.city.code) })).statusCode).toBe(403);
    });
  });

  describe('第三十四条 设置地点公布前须经法制审核和技术审核（第三十五条），两项审核不分先后', () => {
    it('takes the technical review first, then the legal one, then publishes and puts the device into use', async () => {
      t.clock.set('2026-04-03T09:00:00+08:00');
      const created = await t.call({ method: 'POST', url: '/api/v1/devices', as: w.officer, payload: deviceBody(w) });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;

      const failed = await step(id, 'technical-review', { ...TECHNICAL_OK, reliableAndComplete: { satisfied: false, note: '夜间识别率不足' } }, w.head);
      expect(failed.json()).toMatchObject({ state: 'registered', technicalReview: { passed: false, failedItems: [2] } });

      const technical = await step(id, 'technical-review', TECHNICAL_OK, w.head);
      expect(technical.statusCode, technical.body).toBe(200);
      expect(technical.json()).toMatchObject({ state: 'technical_reviewed', stateZh: '已通过技术审核、待法制审核', technicalReview: { passed: true } });
      // One review is not both: the location may not yet be published, and the other review is what is owed.
      expect((await step(id, 'publish', { publicationRef: '武昌区市场监管局公告〔2026〕4号' })).json()).toMatchObject({
        status: 409,
        code: 'INVALID_TRANSITION',
        currentState: 'technical_reviewed',
        allowedEvents: ['LEGAL_REVIEW', 'RETIRE'],
      });

      const legal = await step(id, 'legal-review', LEGAL_OK, w.head);
      expect(legal.json()).toMatchObject({ state: 'reviewed', stateZh: '已通过法制审核和技术审核', legalReview: { passed: true }, technicalReview: { passed: true } });

      t.clock.set('2026-04-03T10:00:00+08:00');
      expect((await step(id, 'publish', { publicationRef: '武昌区市场监管局公告〔2026〕4号' })).json()).toMatchObject({ state: 'published' });
      const listed = (await t.call({ method: 'GET', url: '/api/v1/devices/public' })).json();
      expect(listed.map((d: { id: string }) => d.id)).toContain(id);
      t.clock.set('2026-04-03T10:10:00+08:00');
      expect((await step(id, 'activate', {}, w.head)).json()).toMatchObject({ state: 'in_use', evidenceUsable: true });
    });
  });

  describe('off-site inspections (Art. 32–33, 37)', () => {
    it('records an off-site inspection without a code, straight to findings recorded, not counted by an on-site cap', async () => {
      t.clock.set('2026-04-03T10:00:00+08:00');
      const e = await newEnterprise(t.db, { districtCode: w.districtCode });
      const first = await offsite({ enterpriseCode: e.creditCode });
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({ inspection: { mode: 'offsite', state: 'findings_recorded', countedDate: '2026-04-03', countsTowardCap: true }, notice: null, onsiteDraft: null });
      expect(first.json().offsite).toMatchObject({ source: 'data_sharing', sourceDetails: { system: '湖北省市场监管信息共享平台' }, suspectedViolation: false });
      await offsite({ enterpriseCode: e.creditCode });
      await offsite({ enterpriseCode: e.creditCode });
      // The world's cap (3 a year) counts on-site visits only: off-site checks are not what it limits (Art. 15, 32).
      const fourth = await offsite({ enterpriseCode: e.creditCode });
      expect(fourth.statusCode, fourth.body).toBe(201);
    });

    it('refuses a violation without the notice Art. 37 requires, naming the field', async () => {
      const res = await offsite({ items: [{ item: '年度报告信息真实', result: 'violation' }] });
      expect(res.json()).toMatchObject({ status: 400, errors: [{ field: 'body.suspectedViolation' }] });
    });

    it('turns a suspected violation into a plain notice to the enterprise and a linked on-site case draft', async () => {
      t.clock.set('2026-04-03T11:00:00+08:00');
      const res = await offsite({
        items: [{ item: '年度报告信息真实', result: 'violation', note: '从业人数不一致' }],
        suspectedViolation: {
          ...SUSPECTED,
          onsite: { reason: '需现场查阅劳动合同和工资表，非现场核查无法确认从业人数', windowStart: '2026-04-10T09:00:00+08:00', windowEnd: '2026-04-10T12:00:00+08:00', inspectors: [{ name: '王晓明', certificateNo: '42010620230001' }, { name: '陈丽华', certificateNo: '42010620230002' }] },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.notice).toMatchObject({ rule: 'OFFSITE_NOTICE', article: '第三十七条', enterpriseCode: w.enterprise.creditCode, agencyCode: w.agency.code, correctBy: '2026-04-30', readAt: null });
      for (const s of [SUSPECTED.observed, '2026年4月2日 8时30分', SUSPECTED.ruleBasis, SUSPECTED.howToCorrect, '027-88880000', '信息共享']) expect(body.notice.body).toContain(s);
      expect(body.onsiteDraft.inspection).toMatchObject({ kind: 'case', mode: 'onsite', state: 'draft', leadKind: 'platform_monitoring', enterpriseCode: w.enterprise.creditCode });
      expect(body.offsite).toMatchObject({ suspectedViolation: true, noticeId: body.notice.id, onsiteInspectionId: body.onsiteDraft.inspection.id });

      const detail = (await t.call({ method: 'GET', url: `/api/v1/offsite-inspections/${body.inspection.id}`, as: w.supervisor })).json();
      expect(detail.offsite.onsiteInspectionId).toBe(body.onsiteDraft.inspection.id);
      expect(detail.notice.id).toBe(body.notice.id);
    });

    it('shows each enterprise only its own notices, lets it mark them read, and shows the issuing agency what it sent', async () => {
      const mine = as.enterprise(w.enterprise.creditCode);
      const list = (await t.call({ method: 'GET', url: '/api/v1/enterprise-notices?unread=true', as: mine })).json();
      expect(list).toHaveLength(1);
      const notice = list[0];
      expect((await t.call({ method: 'GET', url: '/api/v1/enterprise-notices', as: as.enterprise(w.outsider.creditCode) })).json()).toEqual([]);
      expect((await t.call({ method: 'GET', url: `/api/v1/enterprise-notices/${notice.id}`, as: as.enterprise(w.outsider.creditCode) })).statusCode).toBe(403);
      expect((await t.call({ method: 'POST', url: `/api/v1/enterprise-notices/${notice.id}/read`, as: as.enterprise(w.outsider.creditCode) })).statusCode).toBe(403);

      t.clock.set('2026-04-03T15:00:00+08:00');
      const read = await t.call({ method: 'POST', url: `/api/v1/enterprise-notices/${notice.id}/read`, as: mine });
      expect(read.json().readAt).toBe('2026-04-03T07:00:00.000Z');
      t.clock.set('2026-04-04T15:00:00+08:00');
      expect((await t.call({ method: 'POST', url: `/api/v1/enterprise-notices/${notice.id}/read`, as: mine })).json().readAt).toBe('2026-04-03T07:00:00.000Z');
      expect((await t.call({ method: 'GET', url: '/api/v1/enterprise-notices?unread=true', as: mine })).json()).toEqual([]);

      expect((await t.call({ method: 'GET', url: '/api/v1/enterprise-notices', as: w.officer })).json().map((n: { id: string }) => n.id)).toEqual([notice.id]);
      expect((await t.call({ method: 'GET', url: '/api/v1/enterprise-notices', as: as.officer(w.city.code) })).json()).toEqual([]);
    });
  });
});
