import { describe, expect, it } from 'vitest';
import { PLAN_CONTENT, type PlanItemContent } from '../../src/rules/declarations/plans.js';

const item = (over: Partial<PlanItemContent> = {}): PlanItemContent => ({
  matterCode: 'SCJG-001',
  legalBasis: '《中华人民共和国食品安全法》第一百一十条',
  targetKind: 'class',
  targetClass: '食品生产企业',
  samplingRatio: 0.05,
  checkItems: ['生产许可'],
  method: 'onsite',
  frequency: 1,
  necessity: '风险较高',
  ...over,
});

describe('PLAN_CONTENT (PLAN_CONTENT, Art. 13)', () => {
  it('passes a plan stating everything Art. 13 asks for', () => {
    expect(PLAN_CONTENT({ agencyCode: 'WH-SCJG', year: 2026, items: [item()] })).toMatchObject({
      rule: 'PLAN_CONTENT',
      article: '第十三条',
      passed: true,
      observed: [],
    });
  });

  it('lists every missing field per item, in Art. 13 order', () => {
    const r = PLAN_CONTENT({
      agencyCode: 'WH-SCJG',
      year: 2026,
      items: [item(), item({ legalBasis: ' ', checkItems: [], frequency: 0, method: null }), item({ targetClass: '', samplingRatio: null, necessity: '' })],
    });
    expect(r.passed).toBe(false);
    expect(r.observed).toEqual([
      'items[1].legalBasis',
      'items[1].checkItems',
      'items[1].method',
      'items[1].frequency',
      'items[2].targets',
      'items[2].samplingRatio',
      'items[2].necessity',
    ]);
    expect(r.detail).toBe('年度日常检查计划内容不完整（第十三条）：第2项（SCJG-001）缺少检查依据、检查项目、检查方式、检查频次；第3项（SCJG-001）缺少检查对象、检查比例、检查必要性');
  });

  it('needs a named list for named targets, and no ratio (the whole list is inspected)', () => {
    expect(PLAN_CONTENT({ agencyCode: 'A', year: 2026, items: [item({ targetKind: 'named', targetEnterprises: ['91420100MA4K1234X5'], samplingRatio: null })] }).passed).toBe(true);
    expect(PLAN_CONTENT({ agencyCode: 'A', year: 2026, items: [item({ targetKind: 'named', targetEnterprises: [] })] }).observed).toEqual(['items[0].targets']);
  });

  it('refuses a sampling ratio outside (0, 1]', () => {
    expect(PLAN_CONTENT({ agencyCode: 'A', year: 2026, items: [item({ samplingRatio: 1.5 })] }).observed).toEqual(['items[0].samplingRatio']);
    expect(PLAN_CONTENT({ agencyCode: 'A', year: 2026, items: [item({ samplingRatio: 0 })] }).observed).toEqual(['items[0].samplingRatio']);
  });

  it('refuses a plan with no items, no agency or no year', () => {
    const r = PLAN_CONTENT({ agencyCode: '', year: null, items: [] });
    expect(r.observed).toEqual(['agencyCode', 'year', 'items']);
    expect(r.detail).toContain('计划未列入任何检查事项');
  });
});
