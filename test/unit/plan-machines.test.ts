import { describe, expect, it } from 'vitest';
import { decide } from '../../machines/kernel.js';
import { planMachine } from '../../machines/plan.machine.js';
import { specialPlanMachine } from '../../machines/special-plan.machine.js';
import { transitionOrRefuse } from '../../src/commands/transition.js';
import { DomainError } from '../../src/errors/domain-error.js';
import { decideSubmit, submitEvent } from '../../src/plans/plan-submit.js';
import { PLAN_CONTENT } from '../../src/rules/declarations/plans.js';
import { ruleResult } from '../../src/rules/result.js';

const plan = (state: string, event: Parameters<typeof decide<typeof planMachine>>[3]) => decide(planMachine, state, {}, event);
const special = (state: string, event: Parameters<typeof decide<typeof specialPlanMachine>>[3]) => decide(specialPlanMachine, state, {}, event);
const complete = { type: 'SUBMIT' as const, failed: [] };
const missingContent = ruleResult('PLAN_CONTENT', false, ['items[0].necessity', 'items[0].frequency'], [], '年度日常检查计划内容不完整');
const unpublishedMatter = ruleResult('MATTER_UNPUBLISHED', false, ['M-1'], 'published', '未公布');

describe('annual plan machine (Art. 13–14)', () => {
  it('submits a complete draft and files it', () => {
    expect(plan('draft', complete)).toMatchObject({ ok: true, state: 'submitted' });
    expect(plan('submitted', { type: 'FILE' })).toMatchObject({ ok: true, state: 'filed' });
    expect(plan('filed', { type: 'PUBLISH' })).toMatchObject({ ok: true, state: 'published' });
  });

  it('refuses to submit with content missing or an unpublished matter (hasNoFailedRules)', () => {
    expect(plan('draft', { ...complete, failed: [missingContent] })).toMatchObject({ ok: false, state: 'draft' });
    expect(plan('draft', { ...complete, failed: [unpublishedMatter] })).toMatchObject({ ok: false, state: 'draft' });
  });

  it('returns with a reason only, and a returned plan is resubmitted', () => {
    expect(plan('submitted', { type: 'RETURN', reason: '  ' })).toMatchObject({ ok: false });
    expect(plan('submitted', { type: 'RETURN', reason: '检查比例过高' })).toMatchObject({ ok: true, state: 'returned' });
    expect(plan('returned', complete)).toMatchObject({ ok: true, state: 'submitted' });
  });

  it('sends an amended filed or published plan back to draft, with a reason', () => {
    expect(plan('filed', { type: 'AMEND', reason: '新增事项' })).toMatchObject({ ok: true, state: 'draft' });
    expect(plan('published', { type: 'AMEND', reason: '新增事项' })).toMatchObject({ ok: true, state: 'draft' });
    expect(plan('published', { type: 'AMEND', reason: '' })).toMatchObject({ ok: false });
    expect(plan('submitted', { type: 'AMEND', reason: '新增事项' })).toMatchObject({ ok: false, allowed: ['FILE', 'RETURN'] });
  });

  it('never files or publishes out of order', () => {
    expect(plan('draft', { type: 'FILE' })).toEqual({ ok: false, state: 'draft', allowed: ['EDIT', 'SUBMIT'] });
    expect(plan('returned', { type: 'FILE' })).toMatchObject({ ok: false });
    expect(plan('submitted', { type: 'PUBLISH' })).toMatchObject({ ok: false });
    expect(plan('filed', { type: 'FILE' })).toEqual({ ok: false, state: 'filed', allowed: ['AMEND', 'PUBLISH'] });
  });

  it('edits in place only while draft or returned (transitionOrRefuse takes the self-transition)', () => {
    expect(transitionOrRefuse(planMachine, '计划', 'draft', {}, { type: 'EDIT' })).toBe('draft');
    expect(transitionOrRefuse(planMachine, '计划', 'returned', {}, { type: 'EDIT' })).toBe('returned');
    try {
      transitionOrRefuse(planMachine, '计划', 'submitted', {}, { type: 'EDIT' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).extensions).toMatchObject({ currentState: 'submitted', allowedEvents: ['FILE', 'RETURN'] });
    }
  });
});

describe('special plan machine (Art. 13, 15)', () => {
  const approval = { type: 'APPROVE' as const, approverKind: 'same_level_government' as const, approverName: '武汉市人民政府', approvalDocNo: '武政〔2026〕1号' };

  it('goes draft → approved → filed → published', () => {
    expect(special('draft', approval)).toMatchObject({ ok: true, state: 'approved' });
    expect(special('approved', { type: 'FILE' })).toMatchObject({ ok: true, state: 'filed' });
    expect(special('filed', { type: 'PUBLISH' })).toMatchObject({ ok: true, state: 'published' });
  });

  it('needs the approving authority and document number (hasApprovalRecord)', () => {
    expect(special('draft', { ...approval, approvalDocNo: '' })).toMatchObject({ ok: false });
    expect(special('draft', { ...approval, approverName: ' ' })).toMatchObject({ ok: false });
  });

  it('cannot be filed before approval nor published before filing', () => {
    expect(special('draft', { type: 'FILE' })).toEqual({ ok: false, state: 'draft', allowed: ['APPROVE', 'DEPLOY', 'EDIT'] });
    expect(special('approved', { type: 'PUBLISH' })).toMatchObject({ ok: false, allowed: ['FILE', 'RETURN'] });
  });

  it('enters deployed directly when an upper authority deployed it, and nothing follows', () => {
    expect(special('draft', { type: 'DEPLOY', upperPlanUsable: true })).toMatchObject({ ok: true, state: 'deployed' });
    expect(special('draft', { type: 'DEPLOY', upperPlanUsable: false })).toMatchObject({ ok: false });
    expect(special('deployed', { type: 'FILE' })).toEqual({ ok: false, state: 'deployed', allowed: [] });
    expect(special('published', approval)).toMatchObject({ ok: false, allowed: ['AMEND'] });
  });

  it('第十四条 returns with reasons, is adjusted and approved again; a filed plan is amended back to draft', () => {
    expect(special('approved', { type: 'RETURN', reason: '检查事项与突出问题不对应' })).toMatchObject({ ok: true, state: 'returned' });
    expect(special('approved', { type: 'RETURN', reason: ' ' })).toMatchObject({ ok: false });
    expect(special('returned', { type: 'EDIT' })).toMatchObject({ ok: true, state: 'returned' });
    expect(special('returned', approval)).toMatchObject({ ok: true, state: 'approved' });
    expect(special('returned', { type: 'FILE' })).toMatchObject({ ok: false, allowed: ['APPROVE', 'EDIT'] });
    for (const from of ['filed', 'published']) {
      expect(special(from, { type: 'AMEND', reason: '延长实施期间' })).toMatchObject({ ok: true, state: 'draft' });
      expect(special(from, { type: 'AMEND', reason: '' })).toMatchObject({ ok: false });
    }
    expect(special('deployed', { type: 'AMEND', reason: '延长实施期间' })).toMatchObject({ ok: false, allowed: [] });
  });
});

describe('第十三条 the SUBMIT guard decides on the plan’s own content (hasNoFailedRules)', () => {
  const item = { matterCode: 'M-1', legalBasis: '《食品安全法》第一百一十条', targetKind: 'class' as const, targetClass: '食品生产企业', samplingRatio: 0.05, checkItems: ['生产许可'], method: 'onsite' as const, frequency: 1, necessity: '风险较高' };
  const published = ruleResult('MATTER_UNPUBLISHED', true, [], 'published');

  it('feeds the machine the failed PLAN_CONTENT result of the real items, so the machine itself refuses', () => {
    const content = PLAN_CONTENT({ agencyCode: 'A', year: 2026, items: [{ ...item, necessity: '', frequency: 0 }] });
    const event = submitEvent(content, published);
    expect(event).toEqual({ type: 'SUBMIT', failed: [content] });
    expect((event.failed[0]!.observed as string[]).length).toBe(2);
    expect(plan('draft', event)).toMatchObject({ ok: false, state: 'draft' });
    expect(() => decideSubmit({ state: 'draft' }, content, published)).toThrow(expect.objectContaining({ code: 'PLAN_CONTENT' }));
  });

  it('feeds it the failed MATTER_UNPUBLISHED result, and lets a complete plan through', () => {
    const content = PLAN_CONTENT({ agencyCode: 'A', year: 2026, items: [item] });
    const unpublished = ruleResult('MATTER_UNPUBLISHED', false, ['M-1'], 'published', '未公布');
    expect(submitEvent(content, unpublished)).toEqual({ type: 'SUBMIT', failed: [unpublished] });
    expect(() => decideSubmit({ state: 'returned' }, content, unpublished)).toThrow(expect.objectContaining({ code: 'MATTER_UNPUBLISHED' }));
    expect(decideSubmit({ state: 'returned' }, content, published)).toBe('submitted');
    expect(() => decideSubmit({ state: 'filed' }, content, published)).toThrow(expect.objectContaining({ code: 'INVALID_TRANSITION' }));
  });
});
