import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { deviceMachine } from '../../machines/device.machine.js';
import { flagMachine } from '../../machines/flag.machine.js';
import { inspectionMachine } from '../../machines/inspection.machine.js';
import { jointListMachine } from '../../machines/joint-list.machine.js';
import { jointTaskMachine } from '../../machines/joint-task.machine.js';
import { jointUnitMachine } from '../../machines/joint-unit.machine.js';
import { EVENT_LABELS, STATE_LABELS } from '../../machines/labels.js';
import { matterMachine } from '../../machines/matter.machine.js';
import { planMachine } from '../../machines/plan.machine.js';
import { referralMachine } from '../../machines/referral.machine.js';
import { specialPlanMachine } from '../../machines/special-plan.machine.js';
import { ROLE_NAMES_ZH } from '../../src/auth/principal.js';
import { transitionOrRefuse } from '../../src/commands/transition.js';
import { DomainError } from '../../src/errors/domain-error.js';
import { validationMessageZh } from '../../src/http/validation-zh.js';
import { periodOf, PERIOD_ZH } from '../../src/time/periods.js';

/** Issue 11: a zh-CN message carries no English word; identifiers travel in fields, not in the text. */
const ENGLISH_WORD = /[A-Za-z]{2,}/;
const MACHINES: AnyStateMachine[] = [deviceMachine, flagMachine, inspectionMachine, jointListMachine, jointTaskMachine, jointUnitMachine, matterMachine, planMachine, referralMachine, specialPlanMachine];

const statesOf = (m: AnyStateMachine) => Object.keys(m.states);
const eventsOf = (m: AnyStateMachine) => [...new Set(Object.values(m.states).flatMap((s) => Object.keys((s.config as { on?: object }).on ?? {})))];

describe('中文名称：状态、操作、角色、期间', () => {
  it('names every state and every event of every machine in Chinese', () => {
    for (const m of MACHINES) {
      for (const s of statesOf(m)) expect(STATE_LABELS[m.id]?.[s], `${m.id}.${s}`).toMatch(/^[^A-Za-z]+$/);
      for (const e of eventsOf(m)) expect(EVENT_LABELS[m.id]?.[e], `${m.id}.${e}`).toMatch(/^[^A-Za-z]+$/);
    }
    for (const name of [...Object.values(ROLE_NAMES_ZH), ...Object.values(PERIOD_ZH)]) expect(name).not.toMatch(ENGLISH_WORD);
  });

  it('refuses an event a state does not accept in Chinese only, the identifiers in currentState and allowedEvents', () => {
    for (const m of MACHINES) {
      for (const s of statesOf(m)) {
        for (const e of eventsOf(m)) {
          try {
            transitionOrRefuse(m, '该事项', s, { kind: 'routine', mode: 'onsite' }, { type: e } as never);
          } catch (err) {
            // A guard reading a field this bare event lacks throws before any refusal; the types forbid that call.
            if (!(err instanceof DomainError)) continue;
            expect((err as DomainError).detail, `${m.id} ${s} ${e}`).not.toMatch(ENGLISH_WORD);
            expect((err as DomainError).extensions).toMatchObject({ currentState: s });
          }
        }
      }
    }
    expect(() => transitionOrRefuse(planMachine, '年度日常检查计划', 'submitted', {}, { type: 'SUBMIT', failed: [] })).toThrow('年度日常检查计划当前状态为“已报送，待备案审查”，不能报送备案');
  });

  it('第十五条 频次：期间以中文表述，周写作“2026年4月6日至4月12日”', () => {
    expect(periodOf('2026-04-08', 'week').labelZh).toBe('2026年4月6日至4月12日');
    expect(periodOf('2026-12-31', 'week').labelZh).toBe('2026年12月28日至2027年1月3日');
    expect(periodOf('2026-04-08', 'quarter').labelZh).toBe('2026年第二季度');
    expect(periodOf('2026-04-08', 'month').labelZh).toBe('2026年4月');
    expect(periodOf('2026-04-08', 'year').labelZh).toBe('2026年');
  });

  it('renders ajv validation errors in Chinese, never ajv’s English text', () => {
    const keywords = ['required', 'type', 'format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'uniqueItems', 'enum', 'const', 'anyOf', 'oneOf', 'minProperties', 'somethingNew'];
    for (const keyword of keywords) {
      expect(validationMessageZh({ keyword, params: { type: 'string', format: 'uuid', limit: 3 } }), keyword).not.toMatch(ENGLISH_WORD);
    }
    expect(validationMessageZh({ keyword: 'format', params: { format: 'date' } })).toBe('格式应为日期（年-月-日）');
  });
});
