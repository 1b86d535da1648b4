import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flags, referrals } from '../../src/db/schema/index.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import { as, newAgency, newJusticeBureau } from '../support/factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { findingsWithReferrals, newCompetentAgency, newReferral, referralBody } from '../support/referral-factories.js';
import { referralNotReceivedJob } from '../../src/sweeper/jobs/referral-not-received.js';
import { runSweep } from '../../src/sweeper/run.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('referrals to the competent agency within 10 working days (Art. 23)', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let env: Agency;
  let envOfficer: ReturnType<typeof as.officer>;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t);
    env = await newCompetentAgency(t.db, w);
    envOfficer = as.officer(env.code);
  });
  afterAll(() => t.close());

  const post = (id: string, step: string, by: ReturnType<typeof as.officer>, payload: Record<string, unknown> = {}) =>
    t.call({ method: 'POST', url: `/api/v1/referrals/${id}/${step}`, as: by, payload });
  const overdueFlags = (id: string) => t.db.select().from(flags).where(and(eq(flags.rule, 'REFERRAL_OVERDUE'), eq(flags.subjectId, id)));

  describe('opened from the findings of an inspection', () => {
    it('opens one referral per out-of-jurisdiction violation, due 10 working days after the finding date across the Spring Festival', async () => {
      const other = await newAgency(t.db, { name: '武昌区应急管理局', districtCode: w.districtCode, domains: ['safety'] });
      const { inspectionId, referrals: opened } = await findingsWithReferrals(t, w, '2026-02-10T15:00:00+08:00', [
        { description: '厂区东侧露天焚烧废弃包装物', competentAgencyCode: env.code },
        { description: '危险化学品仓库未设置防爆设施', competentAgencyCode: other.code },
      ]);
      expect(opened).toHaveLength(2);
      for (const r of opened) expect(r).toMatchObject({ foundOn: '2026-02-10', dueDate: '2026-03-02', state: 'opened', source: 'findings', inspectionId });
      expect(opened.map((r) => (r as unknown as { competentAgencyCode: string }).competentAgencyCode).sort()).toEqual([env.code, other.code].sort());
    });

    it('commits nothing when a competent agency is unknown: the findings and the referrals fail together', async () => {
      const before = (await t.db.select().from(referrals)).length;
      await expect(findingsWithReferrals(t, w, '2026-04-02T15:00:00+08:00', [{ description: '无证排污', competentAgencyCode: 'NO-SUCH-AGENCY' }])).rejects.toThrow(
        /findings failed \(422\).*outOfJurisdiction\[0\]\.competentAgencyCode/,
      );
      expect(await t.db.select().from(referrals)).toHaveLength(before);
    });
  });

  describe('opened by hand, then sent, received and accepted', () => {
    let id: string;

    it('opens a referral with the violation and its evidence, due across National Day', async () => {
      t.clock.set('2026-09-29T10:00:00+08:00');
      const res = await t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, env.code), headers: { 'idempotency-key': 'ref-national-day-1' } });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ foundOn: '2026-09-29', dueDate: '2026-10-19', state: 'opened', stateZh: '待移送', overdue: false, source: 'manual' });
      expect(res.json().evidence).toEqual([{ kind: 'photo', ref: 'IMG-2026-0001', description: '现场焚烧照片2张' }]);
      id = res.json().id;
      const again = await t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, env.code), headers: { 'idempotency-key': 'ref-national-day-1' } });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json().id).toBe(id);
    });

    it('refuses bad input naming the field, and a referral to the agency itself', async () => {
      const noEvidence = await t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, env.code, { evidence: [] }) });
      expect(noEvidence.json()).toMatchObject({ status: 400, code: 'VALIDATION', errors: [{ field: 'body.evidence' }] });
      const self = await t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, w.agency.code) });
      expect(self.json()).toMatchObject({ status: 400, errors: [{ field: 'body.competentAgencyCode' }] });
      const future = await t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, env.code, { foundOn: '2026-10-01' }) });
      expect(future.json()).toMatchObject({ status: 400, errors: [{ field: 'body.foundOn' }] });
    });

    it('lets only the finding agency send it, and only the competent agency receive it', async () => {
      expect((await post(id, 'send', envOfficer)).json().code).toBe('OUT_OF_SCOPE');
      expect((await post(id, 'receive', envOfficer)).json()).toMatchObject({ status: 409, code: 'INVALID_TRANSITION', currentState: 'opened', allowedEvents: ['CRIME_TRANSFER', 'SEND'] });
      t.clock.set('2026-10-19T16:00:00+08:00');
      const sent = await post(id, 'send', w.officer, { note: '已通过平台移送' });
      expect(sent.json()).toMatchObject({ state: 'sent', sentOn: '2026-10-19', overdue: false, flags: [] });
      expect((await post(id, 'receive', w.officer)).json().code).toBe('OUT_OF_SCOPE');
      expect((await post(id, 'receive', envOfficer)).json()).toMatchObject({ state: 'received' });
    });

    it('shows the competent agency its incoming referrals, and the finding agency its outgoing ones', async () => {
      const incoming = (await t.call({ method: 'GET', url: '/api/v1/referrals?direction=incoming', as: envOfficer })).json();
      expect(incoming.map((r: { id: string }) => r.id)).toContain(id);
      const outgoingOfEnv = (await t.call({ method: 'GET', url: '/api/v1/referrals?direction=outgoing', as: envOfficer })).json();
      expect(outgoingOfEnv).toEqual([]);
      const stranger = await newAgency(t.db);
      expect((await t.call({ method: 'GET', url: '/api/v1/referrals', as: as.officer(stranger.code) })).json()).toEqual([]);
      expect((await t.call({ method: 'GET', url: `/api/v1/referrals/${id}`, as: as.officer(stranger.code) })).statusCode).toBe(403);
      expect((await t.call({ method: 'GET', url: '/api/v1/referrals', as: as.enterprise(w.enterprise.creditCode) })).statusCode).toBe(403);
    });

    it('refuses a refusal with REFERRAL_REFUSED (422), records it, and the referral stays received', async () => {
      const res = await post(id, 'refuse', envOfficer, { reason: '焚烧行为发生在厂区内，应由市场监管部门处理' });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'REFERRAL_REFUSED', rule: 'REFERRAL_REFUSED', article: '第二十三条', observed: '焚烧行为发生在厂区内，应由市场监管部门处理' });
      const detail = (await t.call({ method: 'GET', url: `/api/v1/referrals/${id}`, as: w.supervisor })).json();
      expect(detail.state).toBe('received');
      const refusal = detail.history.find((h: { action: string }) => h.action === 'refused.REFERRAL_REFUSED');
      expect(refusal).toMatchObject({ actor: envOfficer.sub, payload: { code: 'REFERRAL_REFUSED' } });
      expect(JSON.stringify(refusal.payload)).toContain('应由市场监管部门处理');
    });

    it('第二十三条 有管辖权的行政执法主体应当接收：拒收的尝试也标记 REFERRAL_REFUSED，每件移送一次', async () => {
      const [flag] = await t.db.select().from(flags).where(and(eq(flags.rule, 'REFERRAL_REFUSED'), eq(flags.subjectId, id)));
      expect(flag).toMatchObject({ article: '第二十三条', agencyCode: env.code, state: 'open', observed: '焚烧行为发生在厂区内，应由市场监管部门处理' });
      expect(flag!.detail).toContain(env.name);
      expect((await post(id, 'refuse', envOfficer, { reason: '再次拒收' })).statusCode).toBe(422);
      expect(await t.db.select().from(flags).where(and(eq(flags.rule, 'REFERRAL_REFUSED'), eq(flags.subjectId, id)))).toHaveLength(1);
    });

    it('accepts, and then nothing but a criminal-case transfer is possible', async () => {
      expect((await post(id, 'accept', envOfficer, { acceptanceRef: '武昌环立〔2026〕55号' })).json()).toMatchObject({ state: 'accepted', stateZh: '已受理', acceptanceRef: '武昌环立〔2026〕55号' });
      expect((await post(id, 'refuse', envOfficer, { reason: '反悔' })).json()).toMatchObject({ status: 409, currentState: 'accepted', allowedEvents: ['CRIME_TRANSFER'] });
      const history = (await t.call({ method: 'GET', url: `/api/v1/referrals/${id}`, as: w.officer })).json().history.map((h: { action: string }) => h.action);
      expect(history).toEqual(['referral.opened', 'referral.sent', 'referral.received', 'refused.REFERRAL_REFUSED', 'flag.raised', 'refused.REFERRAL_REFUSED', 'referral.accepted']);
    });
  });

  describe('disputes, crimes and lateness', () => {
    it('takes a dispute over competence to the common superior, recorded with the superior and the ground', async () => {
      t.clock.set('2026-04-02T10:00:00+08:00');
      const r = (await t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, env.code) })).json();
      await post(r.id, 'send', w.officer);
      const missing = await post(r.id, 'escalate', envOfficer, { superiorAgencyCode: w.city.code });
      expect(missing.json()).toMatchObject({ status: 400, errors: [{ field: 'body.ground' }] });
      const party = await post(r.id, 'escalate', envOfficer, { superiorAgencyCode: w.agency.code, ground: '职责交叉' });
      expect(party.json()).toMatchObject({ status: 400, errors: [{ field: 'body.superiorAgencyCode' }] });
      const ok = await post(r.id, 'escalate', envOfficer, { superiorAgencyCode: w.city.code, ground: '露天焚烧发生在企业厂区内，市场监管与生态环境职责交叉，报请共同上级指定管辖' });
      expect(ok.json()).toMatchObject({ state: 'escalated', superiorAgencyCode: w.city.code, escalationGround: expect.stringContaining('指定管辖') });
      // The superior sees what it must settle.
      expect((await t.call({ method: 'GET', url: `/api/v1/referrals/${r.id}`, as: as.officer(w.city.code) })).statusCode).toBe(200);
      expect((await post(r.id, 'accept', envOfficer)).json().state).toBe('accepted');
    });

    it('transfers a suspected crime with its own document number, approved by the head (CRIME_TRANSFER)', async () => {
      const r = (await t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, env.code, { description: '非法经营有毒有害食品，涉嫌犯罪' }) })).json();
      const transfer = { documentNo: '武昌市监移〔2026〕7号', receivingOrgan: '武汉市公安局武昌区分局' };
      expect((await post(r.id, 'crime-transfer', w.officer, transfer)).statusCode).toBe(403);
      const res = await post(r.id, 'crime-transfer', w.head, transfer);
      expect(res.json()).toMatchObject({ state: 'crime_transferred', crimeTransferDocNo: '武昌市监移〔2026〕7号', crimeTransferOrgan: '武汉市公安局武昌区分局' });
      const entry = (await t.call({ method: 'GET', url: `/api/v1/referrals/${r.id}`, as: w.supervisor })).json().history.at(-1);
      expect(entry).toMatchObject({ action: 'referral.crime_transferred', payload: { rule: 'CRIME_TRANSFER', article: '第二十三条、《行政执法机关移送涉嫌犯罪案件的规定》第三条', documentNo: '武昌市监移〔2026〕7号' } });
      expect((await post(r.id, 'send', w.officer)).json()).toMatchObject({ status: 409, currentState: 'crime_transferred', allowedEvents: [] });
    });

    it('flags a referral sent after its due date, once, and lists it as overdue for the district supervisor only', async () => {
      t.clock.set('2026-02-10T11:00:00+08:00');
      const r = (await t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, env.code) })).json();
      expect(r.dueDate).toBe('2026-03-02');
      t.clock.set('2026-03-03T09:00:00+08:00');
      const sent = (await post(r.id, 'send', w.officer)).json();
      expect(sent).toMatchObject({ state: 'sent', sentOn: '2026-03-03', overdue: true, flags: ['REFERRAL_OVERDUE'] });
      const [flag] = await overdueFlags(r.id);
      expect(flag).toMatchObject({ article: '第二十三条', agencyCode: w.agency.code, districtCode: w.districtCode, observed: '2026-03-03', limitValue: '2026-03-02' });
      expect(await overdueFlags(r.id)).toHaveLength(1);

      const overdue = (await t.call({ method: 'GET', url: '/api/v1/referrals?overdue=true', as: w.supervisor })).json();
      expect(overdue.map((x: { id: string }) => x.id)).toContain(r.id);
      expect(overdue.every((x: { overdue: boolean }) => x.overdue)).toBe(true);
      const elsewhere = (await t.call({ method: 'GET', url: '/api/v1/referrals?overdue=true', as: as.supervisor((await newJusticeBureau(t.db, { districtCode: w.otherDistrictCode })).code) })).json();
      expect(elsewhere.map((x: { id: string }) => x.id)).not.toContain(r.id);
      const city = (await t.call({ method: 'GET', url: '/api/v1/referrals?overdue=true', as: as.supervisor((await newJusticeBureau(t.db)).code) })).json();
      expect(city.map((x: { id: string }) => x.id)).toContain(r.id);
    });
  });
});

describeDb('第二十三条 十个工作日自发现违法行为之日起算', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let env: Agency;
  let inspectionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t);
    env = await newCompetentAgency(t.db, w);
    t.clock.set('2026-03-09T10:00:00+08:00');
    inspectionId = await approvedInspection(t, w, { kind: 'case', leadKind: 'complaint', leadRef: 'TS-D23-1', windowStart: '2026-03-09T08:00:00+08:00', windowEnd: '2026-03-09T18:00:00+08:00' });
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${inspectionId}/start`, as: w.officer, payload: {} })).statusCode).toBe(200);
  });
  afterAll(() => t.close());

  const findings = (outOfJurisdiction: Record<string, unknown>[]) =>
    t.call({
      method: 'POST',
      url: `/api/v1/inspections/${inspectionId}/findings`,
      as: w.officer,
      payload: { methods: ['site_survey'], items: [{ item: '食品经营许可', result: 'compliant' }], outcome: { kind: 'no_violation' }, outOfJurisdiction },
    });

  it('现场发现的违法行为，发现日期不得早于检查开始之日、不得晚于现场检查之日；期限自现场检查之日而非录入之日起算', async () => {
    t.clock.set('2026-03-12T16:00:00+08:00');
    const late = await findings([{ description: '露天焚烧废弃包装物', competentAgencyCode: env.code, foundOn: '2026-03-10' }]);
    expect(late.json()).toMatchObject({ status: 400, errors: [{ field: 'body.outOfJurisdiction[0].foundOn' }] });
    const early = await findings([{ description: '露天焚烧废弃包装物', competentAgencyCode: env.code, foundOn: '2026-03-08' }]);
    expect(early.json()).toMatchObject({ status: 400, errors: [{ field: 'body.outOfJurisdiction[0].foundOn' }] });
    expect(await t.db.select().from(referrals).where(eq(referrals.inspectionId, inspectionId))).toHaveLength(0);

    expect((await findings([{ description: '露天焚烧废弃包装物', competentAgencyCode: env.code }])).statusCode).toBe(200);
    const [opened] = await t.db.select().from(referrals).where(eq(referrals.inspectionId, inspectionId));
    expect(opened).toMatchObject({ foundOn: '2026-03-09', dueDate: '2026-03-23', source: 'findings' });
  });

  it('人工移送关联行政检查的，发现日期不得早于检查开始之日，也不得晚于今天', async () => {
    t.clock.set('2026-03-13T10:00:00+08:00');
    const open = (foundOn: string) => t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, env.code, { inspectionId, foundOn }) });
    expect((await open('2026-03-08')).json()).toMatchObject({ status: 400, errors: [{ field: 'body.foundOn' }] });
    expect((await open('2026-03-14')).json()).toMatchObject({ status: 400, errors: [{ field: 'body.foundOn' }] });
    const ok = await open('2026-03-10');
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ foundOn: '2026-03-10', dueDate: '2026-03-24' });
  });
});

describeDb('第二十三条 有管辖权的行政执法主体应当接收：逾期既未受理也未报请共同上级的，予以标记', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let env: Agency;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t);
    env = await newCompetentAgency(t.db, w);
  });
  afterAll(() => t.close());

  it('移送后超过设定的工作日仍未受理的（已签收亦同）标记一次；已受理、未到期的不标记', async () => {
    const base = { agencyCode: w.agency.code, competentAgencyCode: env.code, enterpriseCode: w.enterprise.creditCode, foundOn: '2026-02-27', dueDate: '2026-03-13' };
    const sent = await newReferral(t.db, { ...base, state: 'sent', sentOn: '2026-03-02' });
    const received = await newReferral(t.db, { ...base, state: 'received', sentOn: '2026-03-02' });
    const accepted = await newReferral(t.db, { ...base, state: 'accepted', sentOn: '2026-03-02' });
    const recent = await newReferral(t.db, { ...base, state: 'sent', sentOn: '2026-03-06' });
    t.clock.set('2026-03-10T09:00:00+08:00');
    const job = [referralNotReceivedJob];
    expect(await runSweep(t.db, t.clock, { referralAcceptWorkingDays: 5 }, job)).toEqual([{ job: 'referral-not-received', count: 2 }]);
    const raised = await t.db.select().from(flags).where(eq(flags.rule, 'REFERRAL_NOT_RECEIVED'));
    expect(raised.map((f) => f.subjectId).sort()).toEqual([sent.id, received.id].sort());
    expect(raised[0]).toMatchObject({ article: '第二十三条', agencyCode: env.code, limitValue: '2026-03-09' });
    expect(raised[0]!.detail).toContain(env.name);
    expect(raised.map((f) => f.subjectId)).not.toContain(accepted.id);
    expect(raised.map((f) => f.subjectId)).not.toContain(recent.id);
    expect(await runSweep(t.db, t.clock, { referralAcceptWorkingDays: 5 }, job)).toEqual([{ job: 'referral-not-received', count: 0 }]);
  });
});
