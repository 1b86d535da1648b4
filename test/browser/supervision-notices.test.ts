import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import type { Principal } from '../../src/auth/principal.js';
import { as, newAgency, newJusticeBureau } from '../support/factories.js';
import { newFlag } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, openBrowser, seeText, serve } from './browser-support.js';

/**
 * 第六条第二款 督办 end to end in the two apps: the supervisor sends it from the flag's page in the console
 * (1280 px), the agency's head answers it in the officers' app on a phone (390 px), the supervisor accepts the
 * answer. Each irreversible step asks first.
 */
describeBrowser('第六条 督办：监督平台发出，掌上执法答复，监督平台办结', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let supervisor: Principal;
  let head: Principal;
  let flagId: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp({ start: '2026-04-08T10:00:00+08:00' }), openBrowser()]);
    const bureau = await newJusticeBureau(t.db, { name: '武汉市司法局（测试）' });
    const agency = await newAgency(t.db, { name: '武汉市生态环境局（测试）' });
    flagId = await newFlag(t.db, '2026-04-03T02:00:00Z', { rule: 'COST_SHIFTED', agencyCode: agency.code, detail: '抽样检验费用 1800 元由企业承担' });
    supervisor = { ...as.supervisor(bureau.code), name: '张监督' };
    head = { ...as.head(agency.code), name: '李局长' };
    base = await serve(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(app: 'console' | 'officer', who: Principal, hash: string, viewport: { width: number; height: number }): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    await page.goto(`${base}/favicon.ico`);
    await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), [`wh327.${app}.token`, t.token(who)]);
    await page.goto(`${base}/${app}/#/${hash}`);
    return page;
  }

  it('sends, answers and closes a 督办, asking before each irreversible step, with the deadline and names shown', async () => {
    const sup = await signedIn('console', supervisor, `flags/${flagId}`, { width: 1280, height: 800 });
    await seeText(sup.getByTestId('article-text'), '第二十二条');
    // A deadline in the past is refused beside its field.
    await sup.getByTestId('notice-due').fill('2026-04-01');
    await sup.getByTestId('notice-request').fill('请于期限内退还费用并报送整改情况');
    sup.once('dialog', (d) => d.accept());
    await sup.getByTestId('notice-send').click();
    await seeText(sup.locator('.field-error').first(), '不得早于今天');
    await sup.getByTestId('notice-due').fill('2026-04-15');
    let asked = '';
    sup.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await sup.getByTestId('notice-send').click();
    await sup.getByTestId('flag-notices').waitFor();
    expect(asked).toContain('武汉市生态环境局（测试）');
    const [notice] = (await t.call({ method: 'GET', url: `/api/v1/supervision-notices?flag=${flagId}`, as: supervisor })).json();
    expect(notice).toMatchObject({ state: 'sent', dueDate: '2026-04-15', issuedByName: '张监督' });

    const phone = await signedIn('officer', head, 'supervision', { width: 390, height: 844 });
    await seeText(phone.locator(`[data-notice="${notice.id}"]`), '请于期限内退还费用并报送整改情况');
    await phone.getByTestId('notice-answer-text').fill('已退还企业检验费用 1800 元，并对承办人员批评教育');
    phone.once('dialog', (d) => d.accept());
    await phone.getByTestId('notice-answer-send').click();
    await phone.locator(`[data-notice="${notice.id}"][data-state="answered"]`).waitFor();

    await sup.goto(`${base}/console/#/notices/${notice.id}`);
    await seeText(sup.getByTestId('notice-answer'), '已退还企业检验费用 1800 元');
    await seeText(sup.getByTestId('notice-answer'), '李局长');
    sup.once('dialog', (d) => d.accept());
    await sup.getByTestId('notice-accept').click();
    await seeText(sup.getByTestId('notice-facts'), '已办结');
    const closed = (await t.call({ method: 'GET', url: `/api/v1/supervision-notices/${notice.id}`, as: supervisor })).json();
    expect(closed).toMatchObject({ state: 'closed', answeredByName: '李局长' });
    await phone.close();
    await sup.close();
  });

  it('shows an unanswered 督办 past its deadline as overdue in both apps', async () => {
    const n = (await t.call({ method: 'POST', url: '/api/v1/supervision-notices', as: supervisor, payload: { flagId, dueDate: '2026-04-09', request: '请说明情况' } })).json();
    t.clock.set('2026-04-13T10:00:00+08:00');
    const sup = await signedIn('console', supervisor, 'notices?overdue=true', { width: 1280, height: 800 });
    await sup.locator('[data-testid=notice-row]').filter({ hasText: '已逾期' }).first().waitFor();
    const phone = await signedIn('officer', head, 'supervision', { width: 390, height: 844 });
    await seeText(phone.locator(`[data-notice="${n.id}"] [data-testid=notice-state]`), '已逾期');
    await sup.close();
    await phone.close();
  });
});
