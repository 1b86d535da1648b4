import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import { as } from '../support/factories.js';
import type { JointWorld } from '../support/joint-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, openBrowser, seeText, serve } from './browser-support.js';
import { axeViolations, layoutProblems } from './axe-check.js';
import { closeOfficerPhone } from './officer-phone.js';
import { FIRE_OFFICERS, MARKET_OFFICERS, proposalFor, proposalWorld } from '../support/proposal-world.js';

/**
 * Issue 26 on the supervisors' console (1280 px): the dashboard's proposal figures each open the rows behind
 * them — 减少入企次数 the launched proposals whose avoided visits add up to it, 拒绝 the counts by unit,
 * district and quarter whose number opens the declined proposal, 每家企业年度入企次数 each enterprise's visits — and the proposals page filters by unit and
 * state with pickers, by name.
 */
describeBrowser('第二十六条至第二十八条 监督平台：联合检查建议的数字可点开明细', () => {
  let t: TestApp;
  let w: JointWorld;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), openBrowser({ width: 1280, height: 800 })]);
    w = await proposalWorld(t);
    const launched = await proposalFor(t, w, w.enterprise.creditCode);
    const declined = await proposalFor(t, w, w.other.creditCode);
    const ok = async (url: string, who: ReturnType<typeof as.head>, payload: object) => {
      const res = await t.call({ method: 'POST', url, as: who, payload });
      expect(res.statusCode, res.body).toBe(200);
    };
    await ok(`/api/v1/proposals/${launched.id}/accept`, as.head(w.fire.code), { inspectors: FIRE_OFFICERS });
    await ok(`/api/v1/proposals/${launched.id}/accept`, as.head(w.market.code), { inspectors: MARKET_OFFICERS });
    await ok(`/api/v1/proposals/${declined.id}/decline`, as.head(w.fire.code), { reason: 'inspected_already' });
    base = await serve(t);
    page = await browser.context.newPage();
    await page.goto(`${base}/favicon.ico`);
    await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), ['wh327.console.token', t.token({ ...w.supervisor, name: '张监督' })]);
  });
  afterAll(() => closeOfficerPhone({ t, browser }));

  const dashboard = async () => {
    await page.goto(`${base}/console/#/dashboard?year=2026`);
    await page.getByTestId('proposal-figures').waitFor();
  };

  it('opens 减少入企次数 onto the launched proposals whose avoided visits add up to the figure', async () => {
    await dashboard();
    const stats = (await t.call({ method: 'GET', url: '/api/v1/stats/joint-proposals?year=2026', as: w.supervisor })).json();
    expect(stats.visitsAvoided).toBe(1);
    await seeText(page.locator('[data-testid=kpi-visits-avoided] .value'), '1', 'exact');
    await page.getByTestId('kpi-visits-avoided').click();
    await page.getByTestId('avoided-table').waitFor();
    const cells = await page.getByTestId('avoided-cell').allTextContents();
    expect(cells.reduce((n, c) => n + Number(c), 0)).toBe(stats.visitsAvoided);
    await seeText(page.getByTestId('avoided-total'), '1', 'exact');
    await seeText(page.getByTestId('avoided-table'), w.enterprise.name);
    await seeText(page.getByTestId('avoided-table'), `${w.market.name}、${w.fire.name}`);
  });

  it('opens 拒绝 onto the counts by unit, district and quarter, and the number onto the declined proposal', async () => {
    await dashboard();
    await seeText(page.locator('[data-testid=kpi-proposals-declined] .value'), '1', 'exact');
    await seeText(page.locator('[data-testid=kpi-proposals-made] .value'), '4', 'exact');
    await page.getByTestId('kpi-proposals-declined').click();
    const fire = page.locator(`[data-testid=counts-table] tr[data-agency="${w.fire.code}"]`);
    await seeText(fire, w.fire.name);
    await seeText(fire, '2026 年第二季度');
    await fire.locator('a[data-measure=declined]').click();
    await page.getByTestId('proposals-table').waitFor();
    await seeText(page.getByTestId('proposals-count'), '共 1 项建议。');
    await seeText(page.getByTestId('proposals-table'), w.other.name);
    await seeText(page.getByTestId('proposals-table'), '本单位本期已对该企业实施检查');
  });

  it('opens 每家企业年度入企次数 onto each enterprise’s visits before and after matching, the joint visit counted once', async () => {
    await dashboard();
    const stats = (await t.call({ method: 'GET', url: '/api/v1/stats/joint-proposals?year=2026', as: w.supervisor })).json();
    const api = await t.call({ method: 'GET', url: '/api/v1/stats/joint-proposals/enterprises?year=2026', as: w.supervisor });
    const rows = api.json() as { enterpriseCode: string; before: number; after: number }[];
    await page.getByTestId('kpi-visits-per-enterprise').click();
    await page.getByTestId('enterprises-table').waitFor();
    await seeText(page.getByTestId('enterprises-count'), `共 ${api.headers['x-total-count']} 家企业。`);
    const shown = page.locator(`[data-testid=enterprises-table] tr[data-enterprise="${w.enterprise.creditCode}"]`);
    await seeText(shown, w.enterprise.name);
    expect([await shown.getByTestId('visits-before').textContent(), await shown.getByTestId('visits-after').textContent()]).toEqual(['2', '1']);
    // The figure's maxima are the list's first rows (most visited first).
    const before = (await page.getByTestId('visits-before').allTextContents()).map(Number);
    const after = (await page.getByTestId('visits-after').allTextContents()).map(Number);
    expect(before).toEqual(rows.map((r) => r.before));
    expect(Math.max(...before)).toBe(stats.perEnterprise.before.max);
    expect(Math.max(...after)).toBe(stats.perEnterprise.after.max);
  });

  it('filters the proposals by unit and state with pickers, and opens one to every unit’s answer by name', async () => {
    await page.goto(`${base}/console/#/proposals?year=2026`);
    await seeText(page.getByTestId('proposals-count'), '共 2 项建议。');
    await page.getByTestId('filter-agency').selectOption({ label: w.fire.name });
    await page.getByTestId('filter-state').selectOption({ label: '各单位已接受，已发起联合检查' });
    await page.getByTestId('proposal-filters').locator('button[type=submit]').click();
    await seeText(page.getByTestId('proposals-count'), '共 1 项建议。');
    await page.getByTestId('proposals-table').getByRole('link', { name: w.enterprise.name }).click();
    await page.getByTestId('proposal-detail').waitFor();
    await seeText(page.locator(`[data-testid=proposal-units] tr[data-unit="${w.fire.code}"]`), '陈刚（执法证 42010620260021）');
    const text = (await page.locator('main').textContent()) ?? '';
    for (const code of [w.market.code, w.fire.code, w.enterprise.creditCode]) expect(text).not.toContain(code);
  });

  it('has no axe violations, no control under 44 px and no sideways scroll on the proposal pages, at 1280 px and 390 px', async () => {
    const launched = await proposalFor(t, w, w.enterprise.creditCode);
    const problems: string[] = [];
    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(viewport);
      for (const hash of ['dashboard?year=2026', 'proposals?year=2026', 'proposals?tab=counts&year=2026', 'proposals?tab=avoided&year=2026', 'proposals?tab=enterprises&year=2026', `proposals/${launched.id}`]) {
        await page.goto(`${base}/console/#/${hash}`);
        await page.waitForFunction(() => !document.getElementById('app')!.textContent!.includes('正在加载'));
        await page.locator('main h1').first().waitFor();
        for (const p of [...(await axeViolations(page)), ...(hash.startsWith('dashboard') ? [] : await layoutProblems(page))]) problems.push(`#/${hash} @${viewport.width}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
