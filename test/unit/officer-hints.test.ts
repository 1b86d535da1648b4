import { describe, expect, it } from 'vitest';
// A browser module (// @ts-check JavaScript), imported here for its data only.
import { FIX_HINTS } from '../../web/officer/common.js';

const hints = FIX_HINTS as Record<string, string>;

/**
 * Issue 22, point 14: what the officers' app tells an officer to change must itself be lawful. A routine
 * inspection refused for want of a plan is not to be relabelled a case inspection (第九条 asks a case inspection
 * for a real lead; relabelling is what 第十五条's supervision of case frequency exists to catch), and the
 * territorial hint names only what the 第十一条 guard accepts.
 */
describe('第九条、第十一条、第十三条 掌上执法的修改提示本身合法', () => {
  it('never suggests turning a refused routine or special inspection into a case inspection', () => {
    for (const [rule, text] of Object.entries(hints)) expect(text, rule).not.toMatch(/改为个案检查|改作个案|个案检查并写明线索/);
  });

  it('sends a territorial refusal to the competent district unit or an Art. 11 ¶2 ground, not to an Art. 12 assistance record the guard ignores', () => {
    expect(hints.JURISDICTION_TERRITORIAL).toContain('第十一条第二款');
    expect(hints.JURISDICTION_TERRITORIAL).not.toContain('异地协助');
  });

  it('points a plan refusal to the plan and to the Art. 32 reason, the lawful ways to cover an on-site visit', () => {
    expect(hints.ROUTINE_WITHOUT_PLAN).toContain('第三十二条');
  });
});
