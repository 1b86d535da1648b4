import { describe, expect, it } from 'vitest';
import { decide } from '../../machines/kernel.js';
import { jointListMachine, type JointListEvent } from '../../machines/joint-list.machine.js';
import { jointTaskMachine, type JointTaskEvent } from '../../machines/joint-task.machine.js';
import { jointUnitMachine, type JointUnitEvent } from '../../machines/joint-unit.machine.js';
import { transitionOrRefuse } from '../../src/commands/transition.js';
import { DomainError } from '../../src/errors/domain-error.js';

const list = (state: string, event: JointListEvent) => decide(jointListMachine, state, {}, event);
const task = (state: string, event: JointTaskEvent) => decide(jointTaskMachine, state, {}, event);
const unit = (state: string, event: JointUnitEvent) => decide(jointUnitMachine, state, {}, event);
const approval = { type: 'APPROVE' as const, approverName: '武昌区人民政府', approvalDocNo: '武昌政〔2026〕8号' };

describe('joint-matter list machine (Art. 27)', () => {
  it('goes proposed → reviewed → approved → published, and a newer version supersedes it', () => {
    expect(list('proposed', { type: 'REVIEW_PASS', opinion: '同意' })).toMatchObject({ ok: true, state: 'reviewed' });
    expect(list('reviewed', approval)).toMatchObject({ ok: true, state: 'approved' });
    expect(list('approved', { type: 'PUBLISH' })).toMatchObject({ ok: true, state: 'published' });
    expect(list('published', { type: 'SUPERSEDE' })).toMatchObject({ ok: true, state: 'superseded' });
    expect(list('superseded', { type: 'PUBLISH' })).toEqual({ ok: false, state: 'superseded', allowed: [] });
  });

  it('never skips the justice bureau’s review or the government’s approval (JOINT_LIST_UNAPPROVED)', () => {
    expect(list('proposed', approval)).toMatchObject({ ok: false, allowed: ['EDIT', 'REVIEW_PASS', 'REVIEW_RETURN'] });
    expect(list('proposed', { type: 'PUBLISH' })).toMatchObject({ ok: false });
    expect(list('reviewed', { type: 'PUBLISH' })).toMatchObject({ ok: false, allowed: ['APPROVE'] });
  });

  it('needs an approval record and a return reason (hasApprovalRecord, hasReturnReason)', () => {
    expect(list('reviewed', { ...approval, approvalDocNo: ' ' })).toMatchObject({ ok: false });
    expect(list('reviewed', { ...approval, approverName: '' })).toMatchObject({ ok: false });
    expect(list('proposed', { type: 'REVIEW_RETURN', reason: '' })).toMatchObject({ ok: false });
    expect(list('proposed', { type: 'REVIEW_RETURN', reason: '标准不一致' })).toMatchObject({ ok: true, state: 'returned' });
    expect(list('returned', { type: 'EDIT' })).toMatchObject({ ok: true, state: 'proposed' });
  });

  it('keeps a published list in force while an adjustment is proposed (AMEND is a self-transition with a reason)', () => {
    expect(transitionOrRefuse(jointListMachine, '清单', 'published', {}, { type: 'AMEND', reason: '新增事项' })).toBe('published');
    expect(() => transitionOrRefuse(jointListMachine, '清单', 'published', {}, { type: 'AMEND', reason: ' ' })).toThrow(DomainError);
    expect(() => transitionOrRefuse(jointListMachine, '清单', 'reviewed', {}, { type: 'AMEND', reason: '新增事项' })).toThrow(DomainError);
  });
});

describe('joint unit machine (Art. 28–29)', () => {
  it('is assigned with at least one matter, then accepted and approved', () => {
    expect(unit('pending', { type: 'ASSIGN', matterCount: 0 })).toMatchObject({ ok: false });
    expect(unit('pending', { type: 'ASSIGN', matterCount: 2 })).toMatchObject({ ok: true, state: 'assigned' });
    expect(unit('assigned', { type: 'ACCEPT' })).toMatchObject({ ok: true, state: 'accepted' });
    expect(unit('accepted', { type: 'APPROVE' })).toMatchObject({ ok: true, state: 'approved' });
  });

  it('declines only with a reason and its legal basis, and only once assigned', () => {
    expect(unit('assigned', { type: 'DECLINE', reason: '不在职责范围', legalBasis: '' })).toMatchObject({ ok: false });
    expect(unit('assigned', { type: 'DECLINE', reason: '', legalBasis: '三定方案' })).toMatchObject({ ok: false });
    expect(unit('assigned', { type: 'DECLINE', reason: '不在职责范围', legalBasis: '三定方案' })).toMatchObject({ ok: true, state: 'declined' });
    expect(unit('pending', { type: 'DECLINE', reason: '不在职责范围', legalBasis: '三定方案' })).toMatchObject({ ok: false, allowed: ['ASSIGN'] });
    expect(unit('approved', { type: 'DECLINE', reason: 'x', legalBasis: 'y' })).toMatchObject({ ok: false, allowed: [] });
  });

  it('cannot be approved before it is accepted', () => {
    expect(unit('assigned', { type: 'APPROVE' })).toMatchObject({ ok: false, allowed: ['ACCEPT', 'DECLINE'] });
  });
});

describe('joint task machine (Art. 26–31)', () => {
  it('is ready for its code only when every unit settled and at least two take part', () => {
    expect(task('launched', { type: 'UNIT_SETTLED', outstanding: 0, approvedUnits: 3 })).toMatchObject({ ok: true, state: 'approved' });
    expect(transitionOrRefuse(jointTaskMachine, '任务', 'launched', {}, { type: 'UNIT_SETTLED', outstanding: 1, approvedUnits: 2 })).toBe('launched');
    expect(transitionOrRefuse(jointTaskMachine, '任务', 'launched', {}, { type: 'UNIT_SETTLED', outstanding: 0, approvedUnits: 1 })).toBe('launched');
  });

  it('issues its code once, from approved only', () => {
    expect(task('launched', { type: 'ISSUE_CODE', failed: [] })).toMatchObject({ ok: false, allowed: ['CANCEL', 'UNIT_SETTLED', 'UNIT_STEP'] });
    expect(task('approved', { type: 'ISSUE_CODE', failed: [] })).toMatchObject({ ok: true, state: 'code_issued' });
    expect(task('code_issued', { type: 'ISSUE_CODE', failed: [] })).toMatchObject({ ok: false });
  });

  it('closes when no visit is open and one was made; is cancelled when every visit’s code was revoked', () => {
    expect(task('code_issued', { type: 'VISIT_ENDED', openVisits: 0, closedVisits: 2 })).toMatchObject({ ok: true, state: 'closed' });
    expect(task('code_issued', { type: 'VISIT_ENDED', openVisits: 0, closedVisits: 0 })).toMatchObject({ ok: true, state: 'cancelled' });
    expect(transitionOrRefuse(jointTaskMachine, '任务', 'code_issued', {}, { type: 'VISIT_ENDED', openVisits: 1, closedVisits: 1 })).toBe('code_issued');
  });

  it('accepts no unit step once approved, and nothing once closed; cancelling needs a reason', () => {
    expect(() => transitionOrRefuse(jointTaskMachine, '任务', 'approved', {}, { type: 'UNIT_STEP' })).toThrow(DomainError);
    expect(task('closed', { type: 'VISIT_STEP' })).toEqual({ ok: false, state: 'closed', allowed: [] });
    expect(task('approved', { type: 'CANCEL', reason: ' ' })).toMatchObject({ ok: false });
    expect(task('approved', { type: 'CANCEL', reason: '企业停业' })).toMatchObject({ ok: true, state: 'cancelled' });
  });
});
