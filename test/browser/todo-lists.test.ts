import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from '../../scripts/chromium.js';
import type { Principal } from '../../src/auth/principal.js';
import { as } from '../support/factories.js';
import { draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newInspection } from '../support/plan-factories.js';
import { newReferral } from '../support/referral-factories.js';
import { newFlag } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, seeText, serve } from './browser-support.js';

/**
 * Issue 24: each app's 待办 in the header — heads: schemes awaiting approval; officers: returned schemes and
 * referrals due (第二十三条); enterprises: results and rectification deadlines (第二十条); supervisors: new
 * flags and overdue 督办 (第六条第二款). Phones at 390 px, the console at 1280 px. The count is fetched at
 * sign-in and after a write, not again on every navigation.
 */
describeBrowser('待办：四类用户各自的待办列表与计数', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let browser: Browser;
  let base: string;
  const PHONE = { width: 390, height: 844 };

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp({ start: '2026-04-02T10:00:00+08:00' }), launchChromium(PHONE)]);
    w = await newInspectionWorld(t, { cap: 5 });
    base = await serve(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A page signed in as `who` in `app` (the token put where the app keeps it), with the /me/todo requests counted. */
  async function signedIn(app: 'console' | 'officer' | 'portal', who: Principal, hash: string, viewport = PHONE): Promise<{ page: Page; todoFetches: () => number }> {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    let fetches = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/me/todo') fetches++;
    });
    await page.goto(`${base}/favicon.ico`);
    await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), [`wh327.${app}.token`, t.token(who)]);
    await page.goto(`${base}/${app}/#/${hash}`);
    await page.getByTestId('todo-count').waitFor();
    return { page, todoFetches: () => fetches };
  }
  const openTodo = async (page: Page) => {
    await page.getByTestId('todo').click();
    await page.getByTestId('todo-panel').waitFor();
  };

  it('a head sees the scheme awaiting approval, opens it from the list, and the count falls after approving — without refetching on navigation', async () => {
    const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w) });
    expect(res.statusCode).toBe(201);
    const { page, todoFetches } = await signedIn('officer', { ...w.head, name: '李局长' }, 'today');
    await seeText(page.getByTestId('todo-count'), '1', 'exact');
    await openTodo(page);
    await seeText(page.locator('[data-todo=approvals]'), '待批准的检查方案（1）');
    await seeText(page.locator('[data-todo=approvals]'), w.enterprise.name);
    const fetched = todoFetches();
    // Navigating is not a reason to ask again: the count cannot have changed by reading.
    await page.goto(`${base}/officer/#/referrals`);
    await page.locator('[data-nav=referrals][aria-current=page]').waitFor();
    await page.locator('[data-todo=approvals] a').first().click().catch(async () => {
      await openTodo(page);
      await page.locator('[data-todo=approvals] a').first().click();
    });
    await page.getByTestId('approval-queue').waitFor();
    expect(todoFetches()).toBe(fetched);
    page.once('dialog', (d) => d.accept());
    await page.getByTestId('approve').first().click();
    // A write may change the count: it is fetched again.
    await seeText(page.getByTestId('todo-count'), '0', 'exact');
    expect(todoFetches()).toBeGreaterThan(fetched);
    await page.close();
  });

  it('an officer sees the scheme the head returned, with the reason, and the referral due', async () => {
    const draft = (await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { windowStart: '2026-04-09T09:00:00+08:00', windowEnd: '2026-04-09T17:00:00+08:00' }) })).json();
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${draft.inspection.id}/return`, as: w.head, payload: { reason: '请补充检查事项的依据' } })).statusCode).toBe(200);
    await newReferral(t.db, { agencyCode: w.agency.code, competentAgencyCode: w.city.code, enterpriseCode: w.enterprise.creditCode, foundOn: '2026-04-01', dueDate: '2026-04-06', description: '涉嫌超范围经营，待移送' });
    const { page } = await signedIn('officer', { ...w.officer, name: '王晓明' }, 'today');
    await seeText(page.getByTestId('todo-count'), '2', 'exact');
    await openTodo(page);
    await seeText(page.locator('[data-todo=returned]'), '请补充检查事项的依据');
    await seeText(page.locator('[data-todo=returned]'), w.enterprise.name);
    await seeText(page.locator('[data-todo=referrals]'), '待移送：涉嫌超范围经营，待移送');
    await page.close();
  });

  it('an enterprise sees the result notified to it and the rectification deadline with its 文号', async () => {
    await newInspection(t.db, {
      agencyCode: w.agency.code,
      enterpriseCode: w.enterprise.creditCode,
      matterCodes: [w.matter],
      countedDate: '2026-04-01',
      state: 'result_notified',
      followUpDue: '2026-04-22',
      findingsAt: new Date('2026-04-01T03:00:00Z'),
      outcome: { kind: 'rectification', noticeNo: '武昌市监责改〔2026〕12号', dueDate: '2026-04-22' },
    });
    const { page } = await signedIn('portal', as.enterprise(w.enterprise.creditCode), '');
    await openTodo(page);
    await seeText(page.locator('[data-todo=results]'), '检查结果已告知');
    await seeText(page.locator('[data-todo=deadlines]'), '责令改正（武昌市监责改〔2026〕12号）');
    await seeText(page.locator('[data-todo=deadlines]'), '期限 2026-04-22');
    await page.close();
  });

  it('a supervisor (1280 px) sees the new flag and the 督办 left unanswered past its deadline', async () => {
    await newFlag(t.db, '2026-04-02T02:00:00Z', { rule: 'COST_SHIFTED', agencyCode: w.agency.code, districtCode: w.districtCode, detail: '抽样检验费用 1800 元由企业承担' });
    const flagId = await newFlag(t.db, '2026-04-02T02:05:00Z', { rule: 'TEAM_TOO_SMALL', agencyCode: w.agency.code, districtCode: w.districtCode, detail: '现场检查仅一名执法人员' });
    const sent = await t.call({ method: 'POST', url: '/api/v1/supervision-notices', as: w.supervisor, payload: { flagId, dueDate: '2026-04-03', request: '请说明一人检查的原因' } });
    expect(sent.statusCode).toBe(201);
    t.clock.set('2026-04-06T10:00:00+08:00');
    const { page } = await signedIn('console', { ...w.supervisor, name: '张监督' }, 'dashboard', { width: 1280, height: 800 });
    await openTodo(page);
    await seeText(page.locator('[data-todo=flags]'), '抽样检验费用 1800 元由企业承担');
    await seeText(page.locator('[data-todo=overdueNotices]'), `${w.agency.name}：请说明一人检查的原因`);
    await seeText(page.locator('[data-todo=overdueNotices]'), '（已逾期）');
    await page.close();
  });
});
