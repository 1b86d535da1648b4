import { describe, expect, it } from 'vitest';
import { frequencyAllowance } from '../../src/frequency/allowance.js';
import { CASE_FREQUENCY_ANOMALY, countOnRecordCheck, FREQUENCY_CAP, type CountedInspection, type FrequencyQuestion, type FrequencyRuleData } from '../../src/rules/declarations/frequency.js';

const rule = (over: Partial<FrequencyRuleData> = {}): FrequencyRuleData => ({
  id: over.id ?? `r-${Math.random()}`,
  kind: 'cap',
  issuerName: '武汉市人民政府办公厅',
  documentNo: '武政办〔2025〕1号',
  scopeKind: 'agency',
  scopeValue: null,
  agencyCode: null,
  period: 'year',
  maxCount: 2,
  modes: ['onsite'],
  riskClass: null,
  effectiveFrom: '2025-12-01',
  effectiveTo: null,
  ...over,
});

let n = 0;
const done = (countedDate: string, over: Partial<CountedInspection> = {}): CountedInspection => ({
  id: `i-${++n}`,
  agencyCode: 'WH-SCJG',
  matterCodes: ['SCJG-001'],
  domains: ['food'],
  countedDate,
  kind: 'routine',
  mode: 'onsite',
  countsTowardCap: true,
  ...over,
});

const ask = (over: Partial<FrequencyQuestion> = {}): FrequencyQuestion => ({
  agencyCode: 'WH-SCJG',
  matterCode: 'SCJG-001',
  domain: 'food',
  riskClass: 'B',
  date: '2026-05-20',
  kind: 'routine',
  mode: 'onsite',
  upperDeployed: false,
  rules: [rule()],
  history: [],
  noDisturb: [],
  ...over,
});

const passed = (q: FrequencyQuestion) => FREQUENCY_CAP(q).every((r) => r.passed);

describe('FREQUENCY_CAP (FREQUENCY_CAP, Art. 15, 40(10))', () => {
  it('counts this agency’s inspections in the year and refuses the one past the cap', () => {
    expect(passed(ask({ history: [done('2026-01-05')] }))).toBe(true);
    const [r] = FREQUENCY_CAP(ask({ history: [done('2026-01-05'), done('2026-03-01')] }));
    expect(r).toMatchObject({ rule: 'FREQUENCY_CAP', article: '第十五条、第四十条第（十）项', passed: false, observed: 2, limit: 2, period: { start: '2026-01-01', end: '2026-12-31', label: '2026' } });
    expect(r!.detail).toContain('武政办〔2025〕1号');
    // Another agency's inspections and last year's do not count toward this agency's cap.
    expect(passed(ask({ history: [done('2025-12-30'), done('2026-02-01', { agencyCode: 'WH-YJGL' }), done('2026-03-01')] }))).toBe(true);
  });

  it('resets at quarter, month and week boundaries (weeks run Monday to Sunday)', () => {
    const quarterly = [rule({ period: 'quarter', maxCount: 1 })];
    expect(passed(ask({ rules: quarterly, date: '2026-04-01', history: [done('2026-03-31')] }))).toBe(true);
    expect(passed(ask({ rules: quarterly, date: '2026-06-30', history: [done('2026-04-01')] }))).toBe(false);
    const monthly = [rule({ period: 'month', maxCount: 1 })];
    expect(passed(ask({ rules: monthly, date: '2026-03-01', history: [done('2026-02-28')] }))).toBe(true);
    expect(passed(ask({ rules: monthly, date: '2026-02-28', history: [done('2026-02-01')] }))).toBe(false);
    const weekly = [rule({ period: 'week', maxCount: 1 })];
    // 2026-05-17 is a Sunday, 2026-05-18 a Monday.
    expect(passed(ask({ rules: weekly, date: '2026-05-18', history: [done('2026-05-17')] }))).toBe(true);
    expect(passed(ask({ rules: weekly, date: '2026-05-17', history: [done('2026-05-11')] }))).toBe(false);
    // A week across New Year: Monday 2025-12-29 to Sunday 2026-01-04.
    expect(passed(ask({ rules: weekly, date: '2026-01-02', history: [done('2025-12-29')] }))).toBe(false);
  });

  it('applies a graded lower cap to risk class A only', () => {
    const rules = [rule({ maxCount: 2 }), rule({ id: 'graded-a', maxCount: 1, riskClass: 'A' })];
    const history = [done('2026-02-01')];
    expect(passed(ask({ rules, history, riskClass: 'B' }))).toBe(true);
    const a = FREQUENCY_CAP(ask({ rules, history, riskClass: 'A' }));
    expect(a.find((r) => r.frequencyRuleId === 'graded-a')).toMatchObject({ passed: false, observed: 1, limit: 1 });
  });

  it('scopes caps to a matter or a domain', () => {
    const rules = [rule({ scopeKind: 'matter', scopeValue: 'SCJG-002', maxCount: 1 }), rule({ scopeKind: 'domain', scopeValue: 'food', maxCount: 1 })];
    const history = [done('2026-02-01', { matterCodes: ['SCJG-002'], domains: ['special_equipment'] })];
    // The SCJG-002 cap does not reach a question about SCJG-001; the food cap does but nothing counted in food.
    expect(FREQUENCY_CAP(ask({ rules, history }))).toHaveLength(1);
    expect(passed(ask({ rules, history }))).toBe(true);
    expect(passed(ask({ rules, history, matterCode: 'SCJG-002', domain: 'special_equipment' }))).toBe(false);
  });

  it('does not count upper-deployed special inspections, nor cap one', () => {
    const history = [done('2026-02-01'), done('2026-03-01', { kind: 'special', countsTowardCap: false })];
    expect(passed(ask({ history }))).toBe(true);
    const full = [done('2026-02-01'), done('2026-03-01')];
    expect(passed(ask({ history: full, kind: 'special' }))).toBe(false);
    expect(FREQUENCY_CAP(ask({ history: full, kind: 'special', upperDeployed: true }))).toEqual([]);
  });

  it('never caps case inspections', () => {
    expect(FREQUENCY_CAP(ask({ kind: 'case', history: [done('2026-01-01'), done('2026-02-01'), done('2026-03-01')] }))).toEqual([]);
  });

  it('keeps a 无事不扰 enterprise from on-site routine inspections only, citing the list, not 第十五条', () => {
    const noDisturb = [{ agencyCode: null, fromDate: '2026-01-01', toDate: null, reason: '信用A级', basis: '武汉市人民政府办公厅武政办〔2025〕9号（示范）' }];
    const [r] = FREQUENCY_CAP(ask({ noDisturb, rules: [] }));
    expect(r).toMatchObject({ rule: 'NO_DISTURB', passed: false });
    expect(r!.article).not.toContain('第十五条');
    expect(r!.detail).toContain('武政办〔2025〕9号');
    expect(r!.detail).not.toContain('无线索');
    expect(FREQUENCY_CAP(ask({ noDisturb, kind: 'case' }))).toEqual([]);
    // Art. 32 prefers off-site checks: the list never blocks them.
    expect(FREQUENCY_CAP(ask({ noDisturb, mode: 'offsite', rules: [] }))).toEqual([]);
    // An entry for another agency, or one that has ended, does not exempt.
    expect(passed(ask({ noDisturb: [{ agencyCode: 'WH-YJGL', fromDate: '2026-01-01', toDate: null, reason: 'x', basis: '' }] }))).toBe(true);
    expect(passed(ask({ noDisturb: [{ agencyCode: null, fromDate: '2026-01-01', toDate: '2026-03-31', reason: 'x', basis: '' }] }))).toBe(true);
  });

  it('counts and refuses only the modes a cap names (on-site by default)', () => {
    const full = [done('2026-02-01'), done('2026-03-01')];
    expect(passed(ask({ history: full, mode: 'offsite' }))).toBe(true);
    expect(passed(ask({ history: full.map((i) => ({ ...i, mode: 'offsite' as const })) }))).toBe(true);
    const both = rule({ modes: ['onsite', 'offsite'] });
    const [r] = FREQUENCY_CAP(ask({ rules: [both], history: [done('2026-02-01'), done('2026-03-01', { mode: 'offsite' })], mode: 'offsite' }));
    expect(r).toMatchObject({ rule: 'FREQUENCY_CAP', passed: false, observed: 2 });
    expect(r!.detail).toContain('现场和非现场');
  });

  it('ignores rules not yet or no longer in force', () => {
    const history = [done('2026-02-01'), done('2026-03-01')];
    expect(passed(ask({ history, rules: [rule({ effectiveFrom: '2026-06-01' })] }))).toBe(true);
    expect(passed(ask({ history, rules: [rule({ effectiveTo: '2026-04-30' })] }))).toBe(true);
  });
});

describe('CASE_FREQUENCY_ANOMALY (CASE_FREQUENCY_ANOMALY, Art. 15)', () => {
  const threshold = rule({ kind: 'case_anomaly', period: 'quarter', maxCount: 3 });
  const cases = (k: number) => Array.from({ length: k }, (_, i) => done(`2026-04-0${i + 1}`, { kind: 'case', countsTowardCap: false }));

  it('passes up to the threshold and fails past it, counting only case inspections', () => {
    expect(CASE_FREQUENCY_ANOMALY(ask({ kind: 'case', rules: [threshold], history: [...cases(2), done('2026-04-20')] }))[0]).toMatchObject({ passed: true, observed: 3, limit: 3 });
    const [r] = CASE_FREQUENCY_ANOMALY(ask({ kind: 'case', rules: [threshold], history: cases(3) }));
    expect(r).toMatchObject({ rule: 'CASE_FREQUENCY_ANOMALY', passed: false, observed: 4, limit: 3, period: { label: '2026-Q2' } });
  });

  it('counts within the threshold’s own scope: a matter threshold counts case inspections of that matter only', () => {
    const perMatter = rule({ kind: 'case_anomaly', period: 'quarter', maxCount: 3, scopeKind: 'matter', scopeValue: 'SCJG-001' });
    const otherMatter = Array.from({ length: 3 }, (_, i) => done(`2026-04-1${i}`, { kind: 'case', countsTowardCap: false, matterCodes: ['SCJG-009'], domains: ['market'] }));
    expect(CASE_FREQUENCY_ANOMALY(ask({ kind: 'case', rules: [perMatter], history: [...cases(1), ...otherMatter] }))[0]).toMatchObject({ passed: true, observed: 2 });
    const perDomain = rule({ kind: 'case_anomaly', period: 'quarter', maxCount: 3, scopeKind: 'domain', scopeValue: 'food' });
    expect(CASE_FREQUENCY_ANOMALY(ask({ kind: 'case', rules: [perDomain], history: [...cases(3), ...otherMatter] }))[0]).toMatchObject({ passed: false, observed: 4 });
  });

  it('reads a count on record for the sweeper: passed up to the threshold, a zh-CN sentence past it', () => {
    const period = { start: '2026-04-06', end: '2026-04-12', label: 'week of 2026-04-06', labelZh: '2026年4月6日至4月12日' };
    expect(countOnRecordCheck('CASE_FREQUENCY_ANOMALY', threshold, 3, period)).toMatchObject({ passed: true, observed: 3, limit: 3 });
    const weekly = countOnRecordCheck('CASE_FREQUENCY_ANOMALY', { ...threshold, period: 'week' }, 4, period);
    expect(weekly).toMatchObject({ rule: 'CASE_FREQUENCY_ANOMALY', article: '第十五条', passed: false, frequencyRuleId: threshold.id });
    expect(weekly.detail).toBe('周（2026年4月6日至4月12日）内个案检查已达 4 次，超过合理频次 3 次（武汉市人民政府办公厅武政办〔2025〕1号）');
  });

  it('says nothing about routine inspections and ignores cap rules', () => {
    expect(CASE_FREQUENCY_ANOMALY(ask({ rules: [threshold], history: cases(5) }))).toEqual([]);
    expect(CASE_FREQUENCY_ANOMALY(ask({ kind: 'case', rules: [rule()], history: cases(5) }))).toEqual([]);
  });
});

describe('frequencyAllowance (what the planning endpoint shows)', () => {
  it('reports used, limit and remaining per cap, and the 无事不扰 exemption', () => {
    const facts = { ...ask({ rules: [rule({ id: 'y' }), rule({ id: 'q', period: 'quarter', maxCount: 1 })], history: [done('2026-04-10')] }) };
    const a = frequencyAllowance(facts, 'routine');
    expect(a.caps.map((c) => [c.frequencyRuleId, c.used, c.limit, c.remaining])).toEqual([
      ['y', 1, 2, 1],
      ['q', 1, 1, 0],
    ]);
    expect(a).toMatchObject({ allowed: false, noDisturbBlocks: false });
    const listed = frequencyAllowance({ ...facts, noDisturb: [{ agencyCode: null, fromDate: '2026-01-01', toDate: null, reason: '信用A级', basis: '' }] }, 'case');
    expect(listed).toMatchObject({ allowed: true, noDisturbBlocks: false, caps: [] });
    expect(listed.noDisturb).toHaveLength(1);
  });
});
