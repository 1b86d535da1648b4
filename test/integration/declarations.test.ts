import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { runSweep } from '../../src/sweeper/run.js';
import { caseRelabellingJob } from '../../src/sweeper/jobs/case-relabelling.js';
import { leadSharedJob } from '../../src/sweeper/jobs/lead-shared.js';
import { declarationsAbovePeersJob } from '../../src/sweeper/jobs/declarations-above-peers.js';
import { as, newAgency, newEnterprise, newJusticeBureau, newDistrict } from '../support/factories.js';
import { approvedInspection, draftBody, KNOWING_REASON, newInspectionWorld, TEAM, type InspectionWorld } from '../support/inspection-world.js';
import { flagsOf } from '../support/sweep-helpers.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

const ONE = [TEAM[0]!];
const BASIS = { law: '《中华人民共和国某某法》', article: '第二十条' };

describeDb('声明事项：放宽规则的申报是证据，不是开关（第二条第二款、第九条、第十一条、第十二条、第十三条第二款、第十五条、第十七条、第十八条、第二十条、第三十二条）', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let city: Principal;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-04-02T09:00:00+08:00' });
    w = await newInspectionWorld(t);
    city = as.supervisor((await newJusticeBureau(t.db, { name: '武汉市司法局' })).code);
  });
  afterAll(() => t.close());

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, who: Principal, payload?: object) => t.call({ method, url: `/api/v1${url}`, as: who, ...(payload ? { payload } : {}) });
  const draft = (over: Record<string, unknown>, by = w.officer) => api('POST', '/inspections', by, draftBody(w, over));
  const register = async (subjectId: string, who: Principal = w.supervisor) =>
    ((await api('GET', `/declarations?agency=${w.agency.code}&limit=200`, who)).json() as { id: string; kind: string; subjectId: string; status: string; rule: string; article: string }[]).filter((d) => d.subjectId === subjectId);

  describe('第二条第二款 隶属关系、国资监管关系对照登记信息核验', () => {
    it('refuses a district market regulator declaring state-asset supervision over a private company (the issue’s example), naming the rule and article', async () => {
      const res = await draft({ excludedRelation: 'soe_supervision', inspectors: ONE });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'SCOPE_RELATION_CONTRADICTED', rule: 'SCOPE_RELATION_CONTRADICTED', article: '第二条' });
      expect(res.json().detail).toContain('不是国有资产监督管理机构');
    });

    it('keeps the Order in force and puts the relation on the register when the registry is silent', async () => {
      // Approved on purpose with the failed rule, so the officer states why (issue 24); the code is then refused.
      const res = await draft({ excludedRelation: 'subordinate_unit', inspectors: ONE, failedChecksReason: KNOWING_REASON });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.inspection).toMatchObject({ underOrder: true, excludedRelation: null });
      // The Order's checks still apply: one officer is refused by Art. 18(1).
      expect(body.checks.find((c: { rule: string }) => c.rule === 'TEAM_TOO_SMALL')).toMatchObject({ passed: false, article: '第十八条第（一）项' });
      expect(body.declarations).toEqual([{ kind: 'excluded_relation', value: { relation: 'subordinate_unit' } }]);
      const [entry] = await register(body.inspection.id);
      expect(entry).toMatchObject({ kind: 'excluded_relation', status: 'pending', rule: 'SCOPE_RELATION_UNFOUNDED', article: '第二条' });
      const id = body.inspection.id as string;
      await api('POST', `/inspections/${id}/approve`, w.head, {});
      expect((await api('POST', `/inspections/${id}/code`, w.officer)).json()).toMatchObject({ code: 'TEAM_TOO_SMALL' });
    });

    it('takes a check outside the Order only when the registry holds the relation, and refuses one it places under another agency', async () => {
      const unit = await newEnterprise(t.db, { districtCode: w.districtCode, name: '武昌区市场监管服务中心有限公司' });
      const rel = await api('POST', '/agency-relations', as.admin(), { agencyCode: w.agency.code, enterpriseCode: unit.creditCode, relation: 'subordinate_unit', source: '武昌区机构编制文件' });
      expect(rel.statusCode, rel.body).toBe(201);
      const held = await draft({ enterpriseCode: unit.creditCode, excludedRelation: 'subordinate_unit' });
      expect(held.json().inspection).toMatchObject({ underOrder: false, excludedRelation: 'subordinate_unit' });
      expect(held.json().checks).toMatchObject([{ rule: 'SCOPE_EXCLUDED_RELATION', article: '第二条' }]);
      const other = await newAgency(t.db, { name: '武汉市武昌区城市管理执法局', districtCode: w.districtCode, domains: ['food', 'market'] });
      const res = await api('POST', '/inspections', as.officer(other.code), draftBody(w, { agencyCode: other.code, enterpriseCode: unit.creditCode, excludedRelation: 'subordinate_unit' }));
      expect(res.json()).toMatchObject({ code: 'SCOPE_RELATION_CONTRADICTED', article: '第二条' });
      expect(res.json().detail).toContain('武汉市武昌区市场监督管理局的所属单位');
    });

    it('accepts SOE supervision by a registered state-asset supervision body over an enterprise it supervises', async () => {
      const sasac = await newAgency(t.db, { name: '武汉市人民政府国有资产监督管理委员会', domains: ['market'], stateAssetSupervisor: true });
      const soe = await newEnterprise(t.db, { districtCode: w.districtCode, name: '武汉某国有投资集团有限公司' });
      expect((await api('POST', '/agency-relations', as.admin(), { agencyCode: w.agency.code, enterpriseCode: soe.creditCode, relation: 'soe_supervision', source: '名录' })).json().errors[0].field).toBe('body.agencyCode');
      expect((await api('POST', '/agency-relations', as.admin(), { agencyCode: sasac.code, enterpriseCode: soe.creditCode, relation: 'soe_supervision', source: '市国资委监管企业名录' })).statusCode).toBe(201);
      expect((await api('GET', `/agency-relations?enterprise=${soe.creditCode}`, w.supervisor)).json()).toMatchObject([{ agencyName: '武汉市人民政府国有资产监督管理委员会', relation: 'soe_supervision' }]);
      const res = await api('POST', '/inspections', as.officer(sasac.code), draftBody(w, { agencyCode: sasac.code, enterpriseCode: soe.creditCode, excludedRelation: 'soe_supervision', matterCodes: ['SASAC-1'] }));
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().inspection).toMatchObject({ underOrder: false, excludedRelation: 'soe_supervision' });
    });
  });

  describe('第十三条第二款、第十五条 上级部署须由上级主管部门作出', () => {
    const plan = (over: Record<string, unknown>) => ({ title: '2026年食品安全专项检查', focus: '校园周边食品经营', matterCodes: [w.matter], startDate: '2026-04-10', endDate: '2026-06-30', ...over });

    it('refuses an agency naming itself, or an authority the registry holds but not as its upper, as the deploying authority', async () => {
      const self = await api('POST', '/special-plans', w.officer, plan({ agencyCode: w.agency.code, deploymentAuthority: w.agency.name, deploymentDocNo: '武昌市监〔2026〕1号' }));
      expect(self.statusCode).toBe(422);
      expect(self.json()).toMatchObject({ code: 'SPECIAL_WITHOUT_APPROVAL', article: '第十三条' });
      expect(self.json().detail).toContain('不能作为自身的上级部署机关');
      const peer = await newAgency(t.db, { name: '武汉市汉阳区市场监督管理局', districtCode: w.otherDistrictCode });
      const notUpper = await api('POST', '/special-plans', w.officer, plan({ agencyCode: w.agency.code, deploymentAuthority: peer.code, deploymentDocNo: '汉市监〔2026〕2号' }));
      expect(notUpper.json()).toMatchObject({ code: 'SPECIAL_WITHOUT_APPROVAL' });
      expect(notUpper.json().detail).toContain('不是武汉市武昌区市场监督管理局的上级主管部门');
    });

    it('records a document-only deployment as a declared exemption for the supervisors', async () => {
      const res = await api('POST', '/special-plans', w.officer, plan({ agencyCode: w.agency.code, deploymentAuthority: '湖北省市场监督管理局', deploymentDocNo: '鄂市监〔2026〕8号' }));
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().state).toBe('deployed');
      const [entry] = await register(res.json().id);
      expect(entry).toMatchObject({ kind: 'upper_deployment', status: 'pending', rule: 'SPECIAL_WITHOUT_APPROVAL' });
      const upper = await api('POST', '/special-plans', w.officer, plan({ agencyCode: w.agency.code, deploymentAuthority: w.city.name, deploymentDocNo: '武市监〔2026〕3号' }));
      expect(upper.statusCode, upper.body).toBe(201);
      expect(await register(upper.json().id)).toMatchObject([{ kind: 'upper_deployment', value: { authorityCode: w.city.code } }]);
    });
  });

  describe('第十八条第（一）项 “法律另有规定”须载明法律和条款', () => {
    it('refuses free text as the team exception basis, naming the field', async () => {
      const res = await draft({ inspectors: ONE, teamExceptionBasis: '领导同意一人检查' });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toMatch(/^body\.teamExceptionBasis/);
      const noArticle = await draft({ inspectors: ONE, teamExceptionBasis: { law: '某法', article: '有关规定' } });
      expect(noArticle.json().errors[0].field).toBe('body.teamExceptionBasis.article');
    });

    it('accepts a cited law and article and puts it on the register', async () => {
      const res = await draft({ inspectors: ONE, teamExceptionBasis: BASIS });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().inspection.teamExceptionBasis).toBe('《中华人民共和国某某法》第二十条');
      expect(res.json().checks.find((c: { rule: string }) => c.rule === 'TEAM_TOO_SMALL').passed).toBe(true);
      expect(await register(res.json().inspection.id)).toMatchObject([{ kind: 'team_exception_basis', rule: 'TEAM_TOO_SMALL', article: '第十八条第（一）项' }]);
    });

    it('does not register a basis that relaxed nothing (two certified inspectors)', async () => {
      const res = await draft({ teamExceptionBasis: BASIS });
      expect(res.json().declarations).toEqual([]);
    });
  });

  describe('第九条 个案检查线索、第三十二条 现场检查理由、第十一条 提级情形、第十二条 异地协助', () => {
    it('registers a lead with no record here, the on-site reason, the escalation ground and the assistance arrangement', async () => {
      const lead = await draft({ kind: 'case', leadKind: 'complaint', leadRef: '12345-2026-0001' });
      expect(await register(lead.json().inspection.id)).toMatchObject([{ kind: 'case_lead', rule: 'CASE_WITHOUT_LEAD', article: '第九条、第十三条' }]);
      const onsite = await draft({ matterCodes: [w.offsiteMatter], onsiteReason: '需现场核对生产设备' });
      expect(await register(onsite.json().inspection.id)).toMatchObject([{ kind: 'onsite_reason', rule: 'ONSITE_WHEN_OFFSITE_SUFFICES', article: '第三十二条' }]);
      const far = await draft({ enterpriseCode: w.outsider.creditCode, assistanceRef: '汉阳区市场监管局协助函〔2026〕5号' });
      expect(await register(far.json().inspection.id)).toMatchObject([{ kind: 'assistance_arrangement', rule: 'CROSS_REGION_NO_ASSISTANCE' }]);
      const cityOfficer = as.officer(w.city.code);
      const up = await api('POST', '/inspections', cityOfficer, draftBody(w, { agencyCode: w.city.code, escalationGround: 'major_or_cross_region' }));
      expect(up.statusCode, up.body).toBe(201);
      const entries = ((await api('GET', `/declarations?agency=${w.city.code}`, city)).json() as { subjectId: string; kind: string; rule: string }[]).filter((d) => d.subjectId === up.json().inspection.id);
      expect(entries).toMatchObject([{ kind: 'escalation_ground', rule: 'JURISDICTION_TERRITORIAL' }]);
    });
  });

  describe('第十七条第（一）项 超时补扫理由、第二十条 不予处罚情形', () => {
    it('registers an officer’s late-scan reason and a stated no-penalty ground', async () => {
      const enterprise = await newEnterprise(t.db, { districtCode: w.districtCode, name: '武汉东湖食品有限公司' });
      const id = await approvedInspection(t, w, { enterpriseCode: enterprise.creditCode });
      const code = (await api('POST', `/inspections/${id}/code`, w.officer)).json().code as string;
      t.clock.set('2026-04-08T18:30:00+08:00');
      const late = await api('POST', `/codes/${code}/scan`, w.officer, { lateReason: '平台故障，现场无法扫码' });
      expect(late.json()).toMatchObject({ accepted: true });
      const findings = await api('POST', `/inspections/${id}/findings`, w.officer, {
        methods: ['documents'],
        items: [{ item: '进货查验记录', result: 'violation' }],
        outcome: { kind: 'penalty_referral', proportionalityNote: '违法情节轻微', noPenaltyGround: '首次违法且危害后果轻微并及时改正' },
      });
      expect(findings.statusCode, findings.body).toBe(200);
      t.clock.set('2026-04-02T09:00:00+08:00');
      const kinds = (await register(id)).map((d) => d.kind).sort();
      expect(kinds).toEqual(['late_scan_reason', 'no_penalty_ground']);
    });
  });

  describe('第六条 监督人员确认或者不予认可；不予认可即以所放宽规则的条款标记', () => {
    it('turns each rejected kind into a flag under the rule it relaxed, and keeps a confirmed one as judged', async () => {
      const expected: Record<string, string> = {
        excluded_relation: 'SCOPE_RELATION_UNFOUNDED',
        upper_deployment: 'SPECIAL_WITHOUT_APPROVAL',
        case_lead: 'CASE_WITHOUT_LEAD',
        team_exception_basis: 'TEAM_TOO_SMALL',
        late_scan_reason: 'CODE_OUTSIDE_WINDOW',
        onsite_reason: 'ONSITE_WHEN_OFFSITE_SUFFICES',
        no_penalty_ground: 'NO_PENALTY_GROUND_UNFOUNDED',
        assistance_arrangement: 'CROSS_REGION_NO_ASSISTANCE',
      };
      const pending = (await api('GET', `/declarations?agency=${w.agency.code}&status=pending&limit=200`, w.supervisor)).json() as { id: string; kind: string; subjectId: string }[];
      for (const [kind, rule] of Object.entries(expected)) {
        const d = pending.find((p) => p.kind === kind);
        expect(d, kind).toBeDefined();
        const res = await api('POST', `/declarations/${d!.id}/reject`, w.supervisor, { note: '所述依据经核实不成立' });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({ status: 'rejected', rule, flagId: expect.any(String) });
        const flag = (await api('GET', `/flags/${res.json().flagId}`, w.supervisor)).json().flag;
        expect(flag).toMatchObject({ rule, subjectId: d!.subjectId, agencyCode: w.agency.code });
        expect(flag.detail).toContain('经监督审核不予认可');
        const again = await api('POST', `/declarations/${d!.id}/confirm`, w.supervisor, {});
        expect(again.json()).toMatchObject({ code: 'INVALID_TRANSITION' });
      }
      const escalation = ((await api('GET', `/declarations?agency=${w.city.code}&kind=escalation_ground`, city)).json() as { id: string }[])[0]!;
      expect((await api('POST', `/declarations/${escalation.id}/reject`, city, { note: '无较大影响' })).json()).toMatchObject({ rule: 'JURISDICTION_TERRITORIAL', article: '第十一条' });
      expect((await flagsOf(t.db, 'JURISDICTION_TERRITORIAL')).length).toBe(1);
    });

    it('asks a reason to reject, and a confirmed relation is taken as held for the agency’s next check of the enterprise', async () => {
      const unit = await newEnterprise(t.db, { districtCode: w.districtCode, name: '武昌区某所属企业有限公司' });
      const first = await draft({ enterpriseCode: unit.creditCode, excludedRelation: 'subordinate_unit' });
      const [entry] = await register(first.json().inspection.id);
      expect((await api('POST', `/declarations/${entry!.id}/reject`, w.supervisor, { note: '' })).statusCode).toBe(400);
      const confirmed = await api('POST', `/declarations/${entry!.id}/confirm`, w.supervisor, { note: '经核查属实' });
      expect(confirmed.json()).toMatchObject({ status: 'confirmed', flagId: null });
      const next = await draft({ enterpriseCode: unit.creditCode, excludedRelation: 'subordinate_unit' });
      expect(next.json().inspection).toMatchObject({ underOrder: false, excludedRelation: 'subordinate_unit' });
    });
  });

  describe('第六条 只有本级监督人员可见并审核', () => {
    it('shows a district agency’s declarations to its district bureau and the city bureau only; nobody reviews their own unit', async () => {
      const elsewhere = await newDistrict(t.db, { name: '江岸区' });
      const other = as.supervisor((await newJusticeBureau(t.db, { districtCode: elsewhere.code })).code, elsewhere.code);
      const res = await draft({ inspectors: ONE, teamExceptionBasis: BASIS });
      const id = res.json().inspection.id as string;
      expect(await register(id, other)).toEqual([]);
      expect(await register(id, city)).toHaveLength(1);
      const [entry] = await register(id);
      expect((await api('GET', `/declarations/${entry!.id}`, other)).json()).toMatchObject({ code: 'OUT_OF_SCOPE' });
      expect((await api('POST', `/declarations/${entry!.id}/reject`, other, { note: '越权' })).json()).toMatchObject({ code: 'OUT_OF_SCOPE' });
      expect((await api('GET', '/declarations', w.officer)).statusCode).toBe(403);
      const counts = (await api('GET', '/declarations/counts', w.supervisor)).json();
      expect(counts.agencies.find((a: { code: string }) => a.code === w.agency.code).count).toBeGreaterThan(0);
      expect(counts.officers.find((o: { code: string }) => o.code === w.officer.sub)).toMatchObject({ agencyCode: w.agency.code });
    });
  });

  describe('检测改换名义的迹象（阈值为本平台设置）', () => {
    it('flags one lead reference serving several enterprises (第九条)', async () => {
      for (let n = 0; n < 3; n++) {
        const e = await newEnterprise(t.db, { districtCode: w.districtCode, name: `武昌区线索企业${n}有限公司` });
        expect((await draft({ kind: 'case', enterpriseCode: e.creditCode, leadKind: 'platform_monitoring', leadRef: 'JC-2026-77' })).statusCode).toBe(201);
      }
      await runSweep(t.db, t.clock, {}, [leadSharedJob]);
      const [flag] = await flagsOf(t.db, 'LEAD_SHARED', w.agency.code);
      expect(flag).toMatchObject({ rule: 'LEAD_SHARED', article: '第九条', occurrence: 'lead:JC-2026-77' });
      expect(flag!.detail).toContain('检测设置');
      expect(flag!.detail).not.toMatch(/[A-Z]{3,}_/);
    });

    it('flags an agency whose case inspections rise while its routine ones meet their caps (第九条、第十五条)', async () => {
      const e = await newEnterprise(t.db, { districtCode: w.districtCode, name: '武昌区频次企业有限公司' });
      for (let n = 0; n < 2; n++) {
        const id = await approvedInspection(t, w, { enterpriseCode: e.creditCode });
        expect((await api('POST', `/inspections/${id}/code`, w.officer)).statusCode).toBe(201);
      }
      const third = await approvedInspection(t, w, { enterpriseCode: e.creditCode });
      expect((await api('POST', `/inspections/${third}/code`, w.officer)).json()).toMatchObject({ code: 'FREQUENCY_CAP' });
      for (let n = 0; n < 5; n++) {
        expect((await draft({ kind: 'case', enterpriseCode: e.creditCode, leadKind: 'complaint', leadRef: `TS-${n}` })).statusCode).toBe(201);
      }
      await runSweep(t.db, t.clock, {}, [caseRelabellingJob]);
      const [flag] = await flagsOf(t.db, 'CASE_RELABELLING', w.agency.code);
      expect(flag).toMatchObject({ rule: 'CASE_RELABELLING', article: '第九条、第十五条', occurrence: '2026-04' });
      await runSweep(t.db, t.clock, {}, [caseRelabellingJob]);
      expect(await flagsOf(t.db, 'CASE_RELABELLING', w.agency.code)).toHaveLength(1);
    });

    it('flags declared exemptions far above the agency’s level peers (第六条)', async () => {
      // Three district peers that inspected in the period and declared nothing: the level's median is 0.
      let peer = w.agency;
      for (let n = 0; n < 3; n++) {
        peer = await newAgency(t.db, { name: `武汉市汉阳区某执法局${n}`, districtCode: w.otherDistrictCode, domains: ['food', 'market'] });
        const e = await newEnterprise(t.db, { districtCode: w.otherDistrictCode });
        expect((await api('POST', '/inspections', as.officer(peer.code), draftBody(w, { agencyCode: peer.code, enterpriseCode: e.creditCode }))).statusCode).toBe(201);
      }
      await runSweep(t.db, t.clock, {}, [declarationsAbovePeersJob]);
      const [flag] = await flagsOf(t.db, 'DECLARATIONS_ABOVE_PEERS', w.agency.code);
      expect(flag).toMatchObject({ rule: 'DECLARATIONS_ABOVE_PEERS', article: '第六条' });
      expect(await flagsOf(t.db, 'DECLARATIONS_ABOVE_PEERS', peer.code)).toEqual([]);
    });
  });

  it('GET /api/v1/rules lists each declaration with how it is checked or supervised', async () => {
    const rules = (await t.call({ method: 'GET', url: '/api/v1/rules' })).json() as { id: string; declarations: { kind: string; checked: unknown; registered: unknown }[] }[];
    const kinds = rules.flatMap((r) => r.declarations.map((d) => ({ rule: r.id, ...d })));
    expect(kinds.map((k) => k.kind).sort()).toEqual(['assistance_arrangement', 'case_lead', 'escalation_ground', 'excluded_relation', 'late_scan_reason', 'no_penalty_ground', 'offsite_follow_up_reason', 'onsite_reason', 'proposal_decline_reason', 'team_exception_basis', 'upper_deployment', 'vertical_management']);
    expect(kinds.find((k) => k.kind === 'vertical_management')).toMatchObject({ rule: 'SPECIAL_APPROVER_NOT_COMPETENT', registered: null });
    expect(kinds.find((k) => k.kind === 'proposal_decline_reason')).toMatchObject({ rule: 'JOINT_PROPOSAL_DECLINED_WITHOUT_REASON', registered: { zh: expect.stringContaining('监督人员') } });
    expect(kinds.find((k) => k.kind === 'excluded_relation')).toMatchObject({ rule: 'SCOPE_RELATION_UNFOUNDED', checked: { zh: expect.stringContaining('登记') } });
  });
});
