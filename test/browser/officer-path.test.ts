import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import type { InspectionWorld } from '../support/inspection-world.js';
import type { TestApp } from '../support/test-app.js';
import { describeBrowser, seeText } from './browser-support.js';
import { closeOfficerPhone, openOfficerPhone, openSignedOut, type OfficerPhone } from './officer-phone.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Issue 24: the officer's path on a 390 px phone, signed in through the local identity provider
 * (OpenID Connect, authorization code with PKCE) rather than by pasting a token.
 */
describeBrowser('掌上执法：通过统一身份认证登录并走完检查流程（第十七条至第二十条）', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let browser: Browser;
  let page: Page;
  let base: string;

  let phone: OfficerPhone | undefined;

  beforeAll(async () => {
    phone = await openOfficerPhone({ cap: 20, at: '2026-04-08T10:30:00+08:00' });
    ({ t, w, browser, page, base } = phone);
  });
  afterAll(() => closeOfficerPhone(phone));

  /** Signs in through the provider's person picker as the person of `role` in the world's agency. */
  const signIn = async (role: 'officer' | 'agency_head') => {
    await openSignedOut(page, base);
    await page.getByTestId('signin-oidc').click();
    await page.locator(`[data-person^="${role}:${w.agency.code}:"]`).first().click();
    await page.getByRole('heading', { name: /今日工作/ }).waitFor();
  };

  it('signs in by picking a person at the provider: the header names the person and the unit, no token pasted', async () => {
    await signIn('officer');
    await seeText(page.getByTestId('who-name'), '王晓明');
    await seeText(page.getByTestId('who-name'), '执法证');
    await seeText(page.getByTestId('who-unit'), w.agency.name);
    const stored = await page.evaluate(() => localStorage.getItem('wh327.officer.token'));
    expect(stored?.split('.').length).toBe(3);
    const me = await page.evaluate(async (token) => (await fetch('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).json(), stored);
    expect(me).toMatchObject({ role: 'officer', agency: w.agency.code, unitName: w.agency.name });
  });

  const inspections = async () => (await t.call({ method: 'GET', url: '/api/v1/inspections?limit=500', as: w.officer })).json() as { id: string; state: string }[];
  const stateOf = async (id: string) => (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.officer })).json().inspection.state as string;

  /** Fills the draft form for the world's enterprise with a team of two (the window keeps its defaults). */
  const fillDraft = async () => {
    await page.locator('[data-nav=draft]').click();
    await page.getByTestId('draft-form').waitFor();
    await page.locator(`[data-matter="${w.matter}"]`).check();
    await page.getByTestId('enterprise-query').fill('长江食品');
    await page.getByTestId('enterprise-search').click();
    await page.locator(`[data-enterprise="${w.enterprise.creditCode}"]`).click();
    // Certificate first: naming a known officer fills an empty certificate field by itself.
    await page.locator('[data-role=officer-cert]').nth(0).fill('42010620230001');
    await page.locator('[data-role=officer-name]').nth(0).fill('王晓明');
    await page.locator('[data-role=officer-cert]').nth(1).fill('42010620230002');
    await page.locator('[data-role=officer-name]').nth(1).fill('陈丽华');
    await seeText(page.getByTestId('pre-check-summary'), '全部通过');
  };

  it('第十七条至第二十条 draft → the head sees the rules and approves → code → scan → findings → notify → close, all signed in through the provider', async () => {
    await signIn('officer');
    await fillDraft();
    // Never before now: in working hours the window starts at the server's now (10:30), not earlier.
    expect(await page.getByTestId('window-start').inputValue()).toBe('2026-04-08T10:30');
    await page.getByTestId('submit-draft').click();
    await page.getByTestId('inspection').waitFor();
    const id = decodeURIComponent(page.url().split('#/inspection/')[1] ?? '');
    expect(await stateOf(id)).toBe('draft');

    await signIn('agency_head');
    await page.locator('[data-nav=approvals]').click();
    const row = page.locator(`[data-inspection="${id}"]`);
    await seeText(row.getByTestId('approval-checks'), '全部通过');
    await row.getByTestId('approve').click();
    await page.getByTestId('approval-queue').waitFor();
    await expect.poll(() => stateOf(id)).toBe('approved');

    await signIn('officer');
    await page.goto(`${base}/officer/#/inspection/${id}`);
    await page.getByTestId('issue-code').click();
    await seeText(page.getByTestId('code-status'), '有效', 'exact');
    await page.getByTestId('scan').click();
    await page.getByTestId('findings-form').waitFor();
    expect(await stateOf(id)).toBe('in_progress');
    await page.locator('[data-method=documents]').check();
    await page.getByTestId('submit-findings').click();
    await page.getByTestId('notify').waitFor();
    expect(await stateOf(id)).toBe('findings_recorded');
    await page.getByTestId('notify').click();
    await page.getByTestId('close').waitFor();
    await page.getByTestId('close').click();
    await expect.poll(() => stateOf(id)).toBe('closed');
  }, 120_000);

  it('a scheme failing 第十八条第（一）项 goes to the head only with the officer’s reason, and the head sees the failed rule by its title with the reason', async () => {
    await signIn('officer');
    await fillDraft();
    await page.locator('[data-role=officer-name]').nth(1).fill('');
    await page.locator('[data-role=officer-cert]').nth(1).fill('');
    await seeText(page.getByTestId('pre-check-summary'), '未通过');
    await expect.poll(async () => (await page.getByTestId('pre-check').textContent()) ?? '').not.toContain('TEAM_TOO_SMALL');
    const before = (await inspections()).length;
    await page.getByTestId('submit-draft').click();
    await seeText(page.locator('[data-error-for=failedChecksReason]'), '写明仍须按此方案检查的理由');
    expect((await inspections()).length).toBe(before);
    await page.getByTestId('failed-checks-reason').fill('第二名执法人员在途，到场后补录');
    await page.getByTestId('submit-draft').click();
    await page.getByTestId('inspection').waitFor();
    const id = decodeURIComponent(page.url().split('#/inspection/')[1] ?? '');
    await signIn('agency_head');
    await page.goto(`${base}/officer/#/inspection/${id}`);
    const seen = page.getByTestId('approval-checks');
    await seeText(seen, '1 项未通过');
    await seeText(seen, '第十八条');
    await seeText(seen, '第二名执法人员在途，到场后补录');
    expect(await seen.textContent()).not.toContain('TEAM_TOO_SMALL');
  }, 120_000);

  it('a double tap on 提交方案 makes one draft', async () => {
    await signIn('officer');
    await fillDraft();
    const before = (await inspections()).length;
    await page.getByTestId('submit-draft').dblclick();
    await page.getByTestId('inspection').waitFor();
    await expect.poll(async () => (await inspections()).length).toBe(before + 1);
    await page.waitForTimeout(500);
    expect((await inspections()).length).toBe(before + 1);
  }, 120_000);

  it('a draft at night defaults to the next working day: the code shows 未到生效时间, and the scan when the window opens is accepted', async () => {
    t.clock.set('2026-04-08T23:30:00+08:00');
    await signIn('officer');
    await fillDraft();
    expect(await page.getByTestId('window-start').inputValue()).toBe('2026-04-09T09:00');
    await page.getByTestId('submit-draft').click();
    await page.getByTestId('inspection').waitFor();
    const id = decodeURIComponent(page.url().split('#/inspection/')[1] ?? '');
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: w.head, payload: {} })).statusCode).toBe(200);
    await page.reload();
    await page.locator('[data-testid=inspection][data-state=approved]').waitFor();
    await page.getByTestId('issue-code').click();
    await page.locator('[data-testid=inspection][data-state=code_issued]').waitFor();
    await seeText(page.getByTestId('code-status'), '未到生效时间');
    t.clock.set('2026-04-09T09:20:00+08:00');
    await page.reload();
    await seeText(page.getByTestId('code-status'), '有效', 'exact');
    await page.getByTestId('scan').click();
    await page.getByTestId('findings-form').waitFor();
    expect(await stateOf(id)).toBe('in_progress');
    const detail = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.officer })).json();
    expect(detail.scans.every((s: { accepted: boolean }) => s.accepted)).toBe(true);
  }, 120_000);

  it('the officer views have no axe violations and no tap target under 44 px at 390 px', async () => {
    t.clock.set('2026-04-08T10:30:00+08:00');
    await signIn('officer');
    const problems: string[] = [];
    for (const hash of ['today', 'draft', 'referrals', 'joint']) {
      await page.goto(`${base}/officer/#/${hash}`);
      await page.waitForFunction(() => !(document.getElementById('app')?.textContent ?? '').includes('正在加载'));
      await page.evaluate(AXE_SOURCE);
      const violations = (await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
        return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })).violations;
      }));
      for (const v of violations) problems.push(`${hash}: ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      const small = await page.evaluate(() =>
        [...document.querySelectorAll('button, a[href], select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), summary')]
          .filter((el) => (el as HTMLElement).offsetParent !== null)
          .map((el) => ({ el: `${el.tagName.toLowerCase()} ${(el.textContent ?? '').trim().slice(0, 12)}`, r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.height < 44 || r.width < 44)
          .map(({ el, r }) => `${el} ${Math.round(r.width)}×${Math.round(r.height)}`),
      );
      for (const s of small) problems.push(`${hash}: tap target ${s}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
