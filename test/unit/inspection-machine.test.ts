import { describe, expect, it } from 'vitest';
import { inspectionMachine } from '../../machines/inspection.machine.js';
import { decide } from '../../machines/kernel.js';
import { transitionOrRefuse } from '../../src/commands/transition.js';
import { DomainError } from '../../src/errors/domain-error.js';
import { ruleResult } from '../../src/rules/result.js';
import { transitionOrRefuseByRules } from '../../src/visits/transition.js';

const refusal = (context: object) => {
  try {
    transitionOrRefuse(inspectionMachine, '检查', 'draft', context, { type: 'ISSUE_CODE', failed: [] });
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('第十七条第（一）项 the scheme is approved by the head before the code', () => {
  it('refuses a code for the draft of an on-site routine or special inspection by ONSITE_WITHOUT_APPROVAL, decided by the machine', () => {
    for (const kind of ['routine', 'special'] as const) {
      const d = decide(inspectionMachine, 'draft', { kind, mode: 'onsite' }, { type: 'ISSUE_CODE', failed: [] });
      expect(d).toMatchObject({ ok: false, refusedBy: { rule: 'ONSITE_WITHOUT_APPROVAL', when: 'needsCode' } });
      expect(refusal({ kind, mode: 'onsite' })).toMatchObject({ code: 'ONSITE_WITHOUT_APPROVAL' });
    }
  });

  it('gives no such rule where no code is needed (a case inspection, an off-site one, one outside the Order): the draft simply does not take the event', () => {
    for (const context of [{ kind: 'case', mode: 'onsite' }, { kind: 'routine', mode: 'offsite' }, { kind: 'routine', mode: 'onsite', outsideOrder: true }]) {
      const d = decide(inspectionMachine, 'draft', context, { type: 'ISSUE_CODE', failed: [] });
      expect(d.ok).toBe(false);
      expect(d).not.toHaveProperty('refusedBy');
      expect(refusal(context)).toMatchObject({ code: 'INVALID_TRANSITION' });
    }
  });

  it('lets an approved on-site routine inspection take the code', () => {
    expect(decide(inspectionMachine, 'approved', { kind: 'routine', mode: 'onsite' }, { type: 'ISSUE_CODE', failed: [] })).toMatchObject({ ok: true, state: 'code_issued' });
  });

  it('refuses the code by the failed rules the event carries: the machine’s one guard (noRuleFailed) decides, the refusal names each rule and article', () => {
    const failed = [ruleResult('TEAM_TOO_SMALL', false, 1, 2, '执法人员不足两人')];
    const ctx = { kind: 'routine', mode: 'onsite' };
    expect(decide(inspectionMachine, 'approved', ctx, { type: 'ISSUE_CODE', failed })).toMatchObject({ ok: false });
    let refused: DomainError | undefined;
    try {
      transitionOrRefuseByRules(inspectionMachine, '检查', 'approved', ctx, { type: 'ISSUE_CODE', failed });
    } catch (e) {
      refused = e as DomainError;
    }
    expect(refused).toMatchObject({ code: 'TEAM_TOO_SMALL' });
    // A state that does not take the event is refused by the state, whatever the rules say.
    expect(() => transitionOrRefuseByRules(inspectionMachine, '检查', 'code_issued', ctx, { type: 'ISSUE_CODE', failed })).toThrow(expect.objectContaining({ code: 'INVALID_TRANSITION' }));
  });
});

describe('第十七条第（一）项 the head’s approval of the scheme is for routine and special on-site inspections', () => {
  it('第十七条 lets an on-site case inspection start from its draft, without the head’s approval', () => {
    expect(decide(inspectionMachine, 'draft', { kind: 'case', mode: 'onsite' }, { type: 'START' })).toMatchObject({ ok: true, state: 'in_progress' });
  });

  it('第十七条 does not let an on-site routine or special inspection start without approval and code', () => {
    for (const kind of ['routine', 'special'] as const) {
      expect(decide(inspectionMachine, 'draft', { kind, mode: 'onsite' }, { type: 'START' })).toMatchObject({ ok: false });
    }
  });
});
