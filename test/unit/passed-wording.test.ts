import { describe, expect, it } from 'vitest';
import { INSPECTION_STATE_ZH } from '../../machines/inspection.machine.js';
import { SCOPE_EFFECTIVE_DATE } from '../../src/rules/declarations/scope.js';

/** Issue 22, point 16: words that say what happened, no more. */
describe('第四十三条、第十七条 words for passed checks and states', () => {
  it('第四十三条 a passed SCOPE_EFFECTIVE_DATE says it complies, a failed one says why', () => {
    const passed = SCOPE_EFFECTIVE_DATE({ date: '2026-04-01' });
    expect(passed).toMatchObject({ passed: true, detail: '符合第四十三条的规定' });
    expect(passed.detail).not.toContain('早于');
    expect(SCOPE_EFFECTIVE_DATE({ date: '2025-11-30' }).detail).toContain('早于施行日期');
  });

  it('第十七条 the state in progress does not claim a scan: a case inspection starts without a code', () => {
    expect(INSPECTION_STATE_ZH.in_progress).toBe('检查中');
  });
});
