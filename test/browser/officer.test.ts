import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import type { Principal } from '../../src/auth/principal.js';
import { as } from '../support/factories.js';
import type { InspectionWorld } from '../support/inspection-world.js';
import { launchedTask, newJointWorld, publishedJointList } from '../support/joint-world.js';
import { newCompetentAgency, newReferral } from '../support/referral-factories.js';
import type { TestApp } from '../support/test-app.js';
import { describeBrowser, seeText } from './browser-support.js';
import { closeOfficerPhone, openOfficerPhone, openSignedOut, type OfficerPhone } from './officer-phone.js';

/**
 * 掌上执法 on a phone (390×844): the officer's whole path from a draft to a notified result, the head's
 * approval in between, the enterprise seeing the result in its portal, and a referral received and
 * accepted by the competent agency (Art. 23).
 */
describeBrowser('掌上执法：第十七条至第二十三条 执法人员在手机上从检查方案到告知检查结果', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let browser: Browser;
  let page: Page;
  let base: string;
  let inspectionId: string;

  let phone: OfficerPhone | undefined;

  beforeAll(async () => {
    phone = await openOfficerPhone({ cap: 5, at: '2026-04-08T08:30:00+08:00' });
    ({ t, w, browser, page, base } = phone);
  });
  afterAll(() => closeOfficerPhone(phone));

  const signIn = async (who: Principal) => {
    await openSignedOut(page, base);
    await page.getByTestId('token-input').fill(t.token(who));
    await page.getByTestId('signin').click();
    await page.getByRole('heading', { name: /今日工作/ }).waitFor();
  };
  const state = async () => (await t.call({ method: 'GET', url: `/api/v1/inspections/${inspectionId}`, as: w.officer })).json().inspection.state as string;

  it('hides the navigation before sign-in and refuses a token of another role', async () => {
    await page.goto(`${base}/officer/`);
    await page.getByTestId('token-input').waitFor();
    expect(await page.locator('#nav').isVisible()).toBe(false);
    await page.getByTestId('token-input').fill(t.token(as.enterprise(w.enterprise.creditCode)));
    await page.getByTestId('signin').click();
    await seeText(page.locator('[role=alert]'), '执法人员或负责人身份的令牌');
  });

  it('drafts a scheme: the pre-check shows a team of one failing 第十八条第（一）项 with what to change, and passes once corrected', async () => {
    await signIn(w.officer);
    expect(await page.locator('#nav').isVisible()).toBe(true);
    await page.locator('[data-nav=draft]').click();
    await page.getByTestId('draft-form').waitFor();
    await page.locator(`[data-matter="${w.matter}"]`).check();
    await page.getByTestId('enterprise-query').fill('长江食品');
    await page.getByTestId('enterprise-search').click();
    await page.locator(`[data-enterprise="${w.enterprise.creditCode}"]`).click();
    await seeText(page.getByTestId('enterprise-chosen'), w.enterprise.name);
    const names = page.locator('[data-role=officer-name]');
    const certs = page.locator('[data-role=officer-cert]');
    await names.nth(0).fill('王晓明');
    await certs.nth(0).fill('42010620230001');
    await names.nth(1).fill('');
    await seeText(page.getByTestId('pre-check'), '未通过');
    const failed = page.locator('[data-testid=pre-check] li[data-rule=TEAM_TOO_SMALL]');
    await seeText(failed, '第十八条第（一）项');
    await seeText(failed, '请修改：增加一名持有执法证的检查人员');
    expect(await failed.getAttribute('data-passed')).toBe('false');

    await names.nth(1).fill('陈丽华');
    await certs.nth(1).fill('42010620230002');
    await seeText(page.getByTestId('pre-check-summary'), '全部通过');
    await page.getByTestId('submit-draft').click();
    await page.getByTestId('inspection').waitFor();
    inspectionId = page.url().split('/inspection/')[1]!;
    expect(await state()).toBe('draft');
    await seeText(page.getByTestId('state'), '检查方案草稿');
  });

  it('lets the head return it with a reason, which the officer reads and answers by amending the scheme', async () => {
    await signIn(w.head);
    await page.locator('[data-nav=approvals]').click();
    const row = page.locator(`[data-testid=approval-queue] li[data-inspection="${inspectionId}"]`);
    await row.getByLabel('退回理由').fill('请补充从业人员健康证明的检查');
    await row.getByTestId('return').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=approval-queue]') !== null);
    expect(await state()).toBe('draft');

    await signIn(w.officer);
    await page.goto(`${base}/officer/#/inspection/${inspectionId}`);
    await seeText(page.getByTestId('returned'), '请补充从业人员健康证明的检查');
    await page.getByTestId('amend').locator('summary').click();
    await page.getByTestId('amend-checklist').fill('食品生产许可证\n从业人员健康证明');
    await page.getByTestId('amend-save').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid=returned]'));
    const i = (await t.call({ method: 'GET', url: `/api/v1/inspections/${inspectionId}`, as: w.officer })).json().inspection;
    expect(i.checklist).toEqual(['食品生产许可证', '从业人员健康证明']);
  });

  it('lets the head approve it from the approval queue', async () => {
    await signIn(w.head);
    await page.locator('[data-nav=approvals]').click();
    const row = page.locator(`[data-testid=approval-queue] li[data-inspection="${inspectionId}"]`);
    await row.getByTestId('approve').click();
    await seeText(page.getByTestId('approval-queue'), '没有待批准的检查方案');
    expect(await state()).toBe('approved');
  });

  it('gets the code, shows it full screen with the notice, records the entry scan, findings with a rectification order, and notifies the result', async () => {
    await signIn(w.officer);
    await seeText(page.getByTestId('approved'), w.enterprise.name);
    await page.locator(`[data-testid=approved] [data-inspection="${inspectionId}"] a`).click();
    await page.getByTestId('issue-code').click();
    await page.getByTestId('code-screen').waitFor();
    const code = (await page.getByTestId('code-text').textContent())!.trim();
    expect(code.length).toBeGreaterThan(4);
    await page.getByTestId('code-full').click();
    expect(await page.locator('.code-screen.full').isVisible()).toBe(true);
    await page.getByTestId('code-full').click();
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('notice-pdf').click()]);
    expect(pdf.suggestedFilename()).toContain('.pdf');
    t.clock.set('2026-04-08T10:00:00+08:00');
    await page.getByTestId('scan').click();
    await page.getByTestId('findings-form').waitFor();
    expect(await state()).toBe('in_progress');

    await page.locator('[data-method=documents]').check();
    await page.locator('[data-method=site_survey]').check();
    await page.locator('[data-item="0"][data-result=violation]').check();
    await page.getByTestId('outcome').selectOption('rectification');
    await page.getByTestId('submit-findings').click();
    // A rectification order without its written notice is refused beside the notice field, naming the article.
    await seeText(page.locator('[data-error-for="outcome.noticeNo"]'), '第二十条');
    await page.getByTestId('notice-no').fill('武昌市监责改〔2026〕12号');
    await page.getByTestId('due-date').fill('2026-04-22');
    // 第四十条第（七）项: the test names its product and batch, which a later test is compared with.
    await page.getByTestId('samples').fill('1');
    await page.getByTestId('sampling-product').fill('鲜牛奶');
    await page.getByTestId('sampling-batch').fill('N-0408');
    await page.getByTestId('submit-findings').click();
    await page.getByTestId('notify').waitFor();
    expect(await state()).toBe('findings_recorded');
    const recorded = (await t.call({ method: 'GET', url: `/api/v1/inspections/${inspectionId}`, as: w.officer })).json().inspection;
    expect(recorded.findings.sampling).toMatchObject({ samples: 1, costBorneBy: 'agency', product: '鲜牛奶', batch: 'N-0408' });
    await page.getByTestId('notify').click();
    await page.getByTestId('close').waitFor();
    expect(await state()).toBe('result_notified');
  });

  it('shows the enterprise the inspection and its rectification order in the portal', async () => {
    const portal = await browser.context.newPage();
    await portal.goto(`${base}/portal/`);
    await portal.getByTestId('token-input').fill(t.token(as.enterprise(w.enterprise.creditCode)));
    await portal.getByTestId('signin').click();
    await portal.getByTestId('code-input').waitFor();
    await portal.goto(`${base}/portal/#/inspections`);
    const card = portal.locator(`[data-testid=inspection-card][data-id="${inspectionId}"]`);
    await seeText(card, w.agency.name);
    await seeText(card.getByTestId('outcome'), '责令改正');
    await portal.close();
  });

  it('receives and accepts a referral sent to the agency, with its due date in view (第二十三条)', async () => {
    const sender = await newCompetentAgency(t.db, w, { name: '武汉市武昌区生态环境局' });
    const r = await newReferral(t.db, { agencyCode: sender.code, competentAgencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, foundOn: '2026-04-01', dueDate: '2026-04-15', state: 'sent', sentAt: new Date('2026-04-02T02:00:00Z'), sentOn: '2026-04-02', description: '发现涉嫌销售过期食品' });
    await signIn(w.officer);
    await seeText(page.getByTestId('referrals-in'), '发现涉嫌销售过期食品');
    await page.locator('[data-nav=referrals]').click();
    const card = page.locator(`[data-testid=incoming] li[data-referral="${r.id}"]`);
    await seeText(card, '2026-04-15');
    await card.getByTestId('receive').click();
    await seeText(page.locator(`[data-testid=incoming] li[data-referral="${r.id}"]`), '已接收');
    await page.locator(`[data-testid=incoming] li[data-referral="${r.id}"]`).getByTestId('acceptance-ref').fill('武昌市监立〔2026〕3号');
    await page.locator(`[data-testid=incoming] li[data-referral="${r.id}"]`).getByTestId('accept').click();
    await seeText(page.locator(`[data-testid=incoming] li[data-referral="${r.id}"]`), '已受理');
    const after = (await t.call({ method: 'GET', url: `/api/v1/referrals/${r.id}`, as: w.officer })).json();
    expect(after).toMatchObject({ state: 'accepted', acceptanceRef: '武昌市监立〔2026〕3号' });
  });

  it('accepts its agency’s part of a joint task, naming the officers it sends (第二十八条)', async () => {
    const jw = await newJointWorld(t);
    const taskId = await launchedTask(t, jw, await publishedJointList(t, jw));
    const assigned = await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${taskId}/assign`, as: as.officer(jw.market.code), payload: { agencyCode: jw.fire.code } });
    expect(assigned.statusCode, assigned.body).toBe(200);
    await signIn(as.officer(jw.fire.code));
    await seeText(page.getByTestId('joint-parts'), '餐饮服务单位');
    await page.locator('[data-nav=joint]').click();
    const card = page.locator(`[data-testid=joint-tasks] li[data-task="${taskId}"]`);
    await card.getByLabel('检查人员姓名').nth(0).fill('赵消防');
    await card.getByLabel('执法证号').nth(0).fill('42010620239001');
    await card.getByLabel('检查人员姓名').nth(1).fill('钱消防');
    await card.getByLabel('执法证号').nth(1).fill('42010620239002');
    await card.getByTestId('joint-accept').click();
    await seeText(page.locator(`[data-testid=joint-tasks] li[data-task="${taskId}"]`), '已接受');
    const task = (await t.call({ method: 'GET', url: `/api/v1/joint-tasks/${taskId}`, as: as.officer(jw.fire.code) })).json();
    expect(task.units.find((u: { agencyCode: string }) => u.agencyCode === jw.fire.code)).toMatchObject({ state: 'accepted', inspectors: [{ name: '赵消防' }, { name: '钱消防' }] });
  });
});
