import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import type { Principal } from '../../src/auth/principal.js';
import { as, newAgency, newEnterprise, newJusticeBureau, newMatter } from '../support/factories.js';
import { newFiledPlan, newInspection } from '../support/plan-factories.js';
import { newFlag } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, openBrowser, seeText, serve } from './browser-support.js';

describeBrowser('the supervisors’ console: dashboard, plan filing, flag review', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let supervisor: Principal;
  let planId: string;
  let flagId: string;
  let inspectionId: string;
  let enterpriseCode: string;

  beforeAll(async () => {
    // The browser starts while the database migrates: two processes, two cores.
    [t, browser] = await Promise.all([createTestApp(), openBrowser()]);
    const bureau = await newJusticeBureau(t.db, { name: '武汉市司法局（测试）' });
    const agency = await newAgency(t.db, { name: '武汉市生态环境局（测试）' });
    const matter = await newMatter(t.db, agency.code, { name: '排污许可证执行情况检查', domain: 'environment' });
    planId = (await newFiledPlan(t.db, agency.code, 2026, [matter.matterCode], { state: 'submitted', filedAt: null, filedBy: null, filingBureauCode: bureau.code })).id;
    flagId = await newFlag(t.db, '2026-03-20T02:00:00Z', { rule: 'COST_SHIFTED', agencyCode: agency.code, detail: '抽样检验费用 1800 元由企业承担' });
    const enterprise = await newEnterprise(t.db, { name: '武汉测试化工有限公司' });
    enterpriseCode = enterprise.creditCode;
    inspectionId = (await newInspection(t.db, { agencyCode: agency.code, enterpriseCode: enterprise.creditCode, matterCodes: [matter.matterCode], countedDate: '2026-03-18' })).id;
    supervisor = as.supervisor(bureau.code);
    base = await serve(t);
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const api = (url: string) => t.call({ method: 'GET', url, as: supervisor }).then((r) => r.json());

  async function signIn(p: Page) {
    await p.goto(`${base}/console/`);
    await p.getByTestId('token-input').fill(t.token(supervisor));
    await p.getByTestId('signin').click();
    await p.getByTestId('dashboard').waitFor();
  }

  it('refuses a token that is not a supervisor’s, then signs a supervisor in to the dashboard with its charts', async () => {
    await page.goto(`${base}/console/`);
    await seeText(page.locator('.hint code').first(), 'npm run token -- --role supervisor --agency WH-SFJ', 'exact');
    await page.getByTestId('token-input').fill(t.token(as.enterprise(enterpriseCode)));
    await page.getByTestId('signin').click();
    await seeText(page.locator('.alert.error'), '监督人员');

    await signIn(page);
    await seeText(page.getByTestId('jurisdiction'), '武汉市（全市）');
    await seeText(page.locator('[data-testid=kpi-flags] .value'), '1', 'exact');
    // Submitted in time and waiting on the bureau: on time for the agency (Art. 13), the bureau's queue shown apart.
    await seeText(page.locator('[data-testid=kpi-plans] .sub'), '按时 1 · 逾期 0 · 未报送 0');
    // Chart.js drew into every canvas.
    const drawn = await page.$$eval('canvas[data-testid^="chart-"]', (cs) => cs.map((c) => (c as HTMLCanvasElement).width > 0 && Boolean((window as unknown as { Chart: { getChart(c: unknown): unknown } }).Chart.getChart(c))));
    expect(drawn).toHaveLength(8);
    expect(drawn.every(Boolean)).toBe(true);
  });

  it('files a plan awaiting filing', async () => {
    await page.locator('[data-nav=plans]').click();
    const row = page.locator(`[data-testid=plan-row][data-id="${planId}"]`);
    await seeText(row, '武汉市生态环境局（测试）');
    await row.getByTestId('file-plan').click();
    await seeText(page.getByTestId('notice'), '已备案');
    expect((await api(`/api/v1/plans/${planId}`)).state).toBe('filed');
    await expect(page.locator('[data-testid=plan-row]').count()).resolves.toBe(0);
  });

  it('reviews a flag: acknowledges it, is told a note is needed, then resolves it with one', async () => {
    await page.locator('[data-nav=flags]').click();
    await page.locator(`[data-testid=flag-row][data-id="${flagId}"]`).click();
    await seeText(page.getByTestId('flag-detail'), '抽样检验费用 1800 元由企业承担', 'exact');
    await page.getByTestId('acknowledge').click();
    await page.getByTestId('resolve').waitFor();
    // The click's request may still be in flight: poll the API (bounded), never a fixed sleep.
    let state = '';
    for (let k = 0; k < 100 && state !== 'acknowledged'; k++) {
      state = (await api(`/api/v1/flags/${flagId}`)).flag.state;
      if (state !== 'acknowledged') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('acknowledged');

    await page.getByTestId('resolve').click();
    // Wait for the text to appear (textContent() alone reads whatever is there at that instant).
    await page.getByTestId('problem').filter({ hasText: 'body.note' }).waitFor();
    await page.getByTestId('review-note').fill('已责令退还企业检验费用，并约谈承办人员');
    await page.getByTestId('resolve').click();
    await page.getByTestId('review-info').filter({ hasText: '已责令退还企业检验费用' }).waitFor();
    const after = await api(`/api/v1/flags/${flagId}`);
    expect(after.flag).toMatchObject({ state: 'resolved', reviewNote: '已责令退还企业检验费用，并约谈承办人员' });
    await page.getByTestId('audit-table').locator('tr[data-action="flag.resolved"]').filter({ hasText: '违规标记办结' }).waitFor();
  });

  it('tells an inspection’s story and verifies the audit chain on request', async () => {
    await page.goto(`${base}/console/#/inspections/${inspectionId}`);
    await seeText(page.getByTestId('inspection-story').locator('h1'), '武汉市生态环境局（测试）');
    await seeText(page.getByTestId('referrals'), '无移送');
    await page.getByTestId('verify-chain').click();
    await seeText(page.locator('[data-testid=verify-result] .verify-ok'), /^审计哈希链完整：自第 1 条起已校验全部 \d+ 条/);
  });

  it('shows text from the data as text, never as markup', async () => {
    const evil = await newFlag(t.db, '2026-03-21T02:00:00Z', { rule: 'QUOTA', detail: '<img src=x onerror="document.body.dataset.pwned=1">指标' });
    await page.goto(`${base}/console/#/flags/${evil}`);
    await seeText(page.getByTestId('flag-detail'), '<img src=x onerror="document.body.dataset.pwned=1">指标', 'exact');
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
  });
});
