import { describe, expect, it } from 'vitest';
import { decide } from '../../machines/kernel.js';
import { inspectionMachine } from '../../machines/inspection.machine.js';
import { basicGuards } from '../../src/visits/guards.js';
import type { GuardFacts } from '../../src/rules/guard-facts.js';

const facts = (over: Partial<GuardFacts> = {}): GuardFacts => ({
  kind: 'routine',
  mode: 'onsite',
  date: '2026-04-08',
  agency: { code: 'A', level: 'district', districtCode: '420106', districtName: '武昌区', domains: ['food'], outsideWuhan: false },
  enterprise: { creditCode: 'E', districtCode: '420106', districtName: '武昌区', outsideWuhan: false },
  matters: [{ code: 'M1', published: { name: '食品', domain: 'food', offsiteCapable: false, legalBasis: '食品安全法' } }],
  inspectors: [
    { name: '甲', certificateNo: '1' },
    { name: '乙', certificateNo: '2' },
  ],
  teamExceptionBasis: null,
  assistanceRef: null,
  escalationGround: null,
  escalationRef: null,
  onsiteReason: null,
  leadKind: null,
  lowerLevelCounterpart: null,
  lowerLevelCounterpartName: null,
  ...over,
});

const failed = (f: GuardFacts) => basicGuards(f).filter((r) => !r.passed).map((r) => r.rule);

describe('inspection guards (pure)', () => {
  it('pass for a complete on-site routine scheme', () => {
    expect(failed(facts())).toEqual([]);
  });

  it('refuse inspections dated before the regulation took effect (Art. 43)', () => {
    expect(failed(facts({ date: '2025-11-30' }))).toEqual(['SCOPE_EFFECTIVE_DATE']);
  });

  it('name each broken fact with its own rule', () => {
    expect(failed(facts({ matters: [{ code: 'X', published: null }] }))).toEqual(['MATTER_UNPUBLISHED']);
    expect(failed(facts({ agency: { code: 'A', level: 'district', districtCode: '420106', districtName: '武昌区', domains: ['environment'], outsideWuhan: false } }))).toEqual(['AGENCY_OUT_OF_AUTHORITY']);
    expect(failed(facts({ kind: 'case' }))).toEqual(['CASE_WITHOUT_LEAD']);
    expect(failed(facts({ kind: 'case', leadKind: 'complaint' }))).toEqual([]);
    expect(failed(facts({ inspectors: [{ name: '甲', certificateNo: '1' }] }))).toEqual(['TEAM_TOO_SMALL']);
    expect(failed(facts({ mode: 'offsite', inspectors: [{ name: '甲', certificateNo: '1' }] }))).toEqual([]);
    expect(failed(facts({ enterprise: { creditCode: 'E', districtCode: '420105', districtName: '汉阳区', outsideWuhan: false } }))).toEqual(['CROSS_REGION_NO_ASSISTANCE']);
    expect(failed(facts({ agency: { code: 'C', level: 'city', districtCode: null, districtName: null, domains: ['food'], outsideWuhan: false }, lowerLevelCounterpart: 'D', lowerLevelCounterpartName: '武昌区市场监督管理局' }))).toEqual(['JURISDICTION_TERRITORIAL']);
    const offsiteCapable = [{ code: 'M2', published: { name: '公示', domain: 'food', offsiteCapable: true, legalBasis: '条例' } }];
    expect(failed(facts({ matters: offsiteCapable }))).toEqual(['ONSITE_WHEN_OFFSITE_SUFFICES']);
    expect(failed(facts({ matters: offsiteCapable, onsiteReason: '需现场核验设备运行' }))).toEqual([]);
  });
});

describe('第十一条、第十二条 提示中的行政区和行政执法主体以名称表述（第十一号问题）', () => {
  const detailOf = (f: GuardFacts, rule: string) => basicGuards(f).find((r) => r.rule === rule)?.detail ?? '';

  it('names both districts of an out-of-area inspection by name, not by code', () => {
    const detail = detailOf(facts({ enterprise: { creditCode: 'E', districtCode: '420105', districtName: '汉阳区', outsideWuhan: false } }), 'CROSS_REGION_NO_ASSISTANCE');
    expect(detail).toContain('武汉市（汉阳区）');
    expect(detail).toContain('武汉市（武昌区）');
    expect(detail).not.toMatch(/4201\d\d/);
  });

  it('names the lowest-level agency by name', () => {
    const city = { code: 'C', level: 'city' as const, districtCode: null, districtName: null, domains: ['food'], outsideWuhan: false };
    const detail = detailOf(facts({ agency: city, lowerLevelCounterpart: 'D', lowerLevelCounterpartName: '武昌区市场监督管理局' }), 'JURISDICTION_TERRITORIAL');
    expect(detail).toContain('武昌区市场监督管理局当日有效的行政检查事项清单');
  });
});

describe('第十八条第（一）项、第（二）项 the team of an Art. 17 visit (pure)', () => {
  const one = [{ name: '甲', certificateNo: '1' }];
  const uncertified = [{ name: '甲', certificateNo: '' }];
  it('relaxes only the count with a legal basis, never the certificate', () => {
    expect(failed(facts({ inspectors: one, teamExceptionBasis: '某法第X条' }))).toEqual([]);
    expect(failed(facts({ inspectors: uncertified, teamExceptionBasis: '某法第X条' }))).toEqual(['TEAM_TOO_SMALL', 'INSPECTOR_UNCERTIFIED']);
    expect(failed(facts({ inspectors: [...facts().inspectors, { name: '丙', certificateNo: ' ' }] }))).toEqual(['INSPECTOR_UNCERTIFIED']);
  });
  it('does not apply to case inspections, which Art. 18 does not cover', () => {
    expect(failed(facts({ kind: 'case', leadKind: 'complaint', inspectors: uncertified }))).toEqual([]);
  });
});

describe('inspection machine', () => {
  const ctx = { kind: 'routine', mode: 'onsite' } as const;
  it('needs approval before a code, and a code before a scan', () => {
    expect(decide(inspectionMachine, 'draft', ctx, { type: 'ISSUE_CODE', failed: [] })).toMatchObject({ ok: false, allowed: ['APPROVE', 'CANCEL', 'MERGE', 'RECORD_OFFSITE', 'RETURN', 'START'] });
    expect(decide(inspectionMachine, 'approved', ctx, { type: 'ISSUE_CODE', failed: [] })).toMatchObject({ ok: true, state: 'code_issued' });
    expect(decide(inspectionMachine, 'approved', ctx, { type: 'SCAN' }).ok).toBe(false);
    expect(decide(inspectionMachine, 'code_issued', ctx, { type: 'SCAN' })).toMatchObject({ ok: true, state: 'in_progress' });
  });
  it('starts an on-site case inspection without a code, and never issues one for it', () => {
    const c = { kind: 'case', mode: 'onsite' } as const;
    expect(decide(inspectionMachine, 'approved', c, { type: 'START' })).toMatchObject({ ok: true, state: 'in_progress' });
    expect(decide(inspectionMachine, 'approved', c, { type: 'ISSUE_CODE', failed: [] }).ok).toBe(false);
    expect(decide(inspectionMachine, 'approved', ctx, { type: 'START' }).ok).toBe(false);
  });
  it('records an off-site inspection without a visit', () => {
    expect(decide(inspectionMachine, 'draft', { kind: 'routine', mode: 'offsite' }, { type: 'RECORD_OFFSITE' })).toMatchObject({ ok: true, state: 'findings_recorded' });
    expect(decide(inspectionMachine, 'draft', ctx, { type: 'RECORD_OFFSITE' }).ok).toBe(false);
  });
});
