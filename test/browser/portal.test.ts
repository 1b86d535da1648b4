import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import type { Principal } from '../../src/auth/principal.js';
import { enterpriseNotices } from '../../src/db/schema/index.js';
import { as } from '../support/factories.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { issuedCode } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, openBrowser, seeText, serve } from './browser-support.js';

describeBrowser('the enterprises’ portal: one-tap check of valid, revoked and forged codes; a report that reaches the supervisors', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let browser: Browser;
  let page: Page;
  let base: string;
  let ent: Principal;
  let valid: { id: string; code: string; kid: string; signature: string };
  let revoked: { id: string; code: string; kid: string; signature: string };

  beforeAll(async () => {
    // The browser starts while the database migrates: two processes, two cores.
    [t, browser] = await Promise.all([createTestApp(), openBrowser({ width: 390, height: 844 })]);
    w = await newInspectionWorld(t, { cap: 5 });
    ent = as.enterprise(w.enterprise.creditCode);
    valid = await issuedCode(t, w);
    revoked = await issuedCode(t, w, { windowStart: '2026-04-08T13:00:00+08:00', windowEnd: '2026-04-08T18:00:00+08:00' });
    const r = await t.call({ method: 'POST', url: `/api/v1/codes/${revoked.code}/revoke`, as: w.head, payload: { reason: '检查人员调整，另行安排' } });
    if (r.statusCode !== 200) throw new Error(r.body);
    t.clock.set('2026-04-08T10:00:00+08:00');
    base = await serve(t);
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const scansOf = async (id: string) => (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.officer })).json().scans as { byRole: string; accepted: boolean }[];
  const checkPage = (code: string, kid: string, signature: string) => `${base}/v/${code}?k=${kid}&s=${signature}`;
  const answer = async () => {
    await page.getByTestId('verify').click();
    const card = page.getByTestId('verify-answer');
    await card.waitFor();
    return { authorised: await card.getAttribute('data-authorised'), reason: await page.getByTestId('verify-reason').textContent() };
  };

  it('offers a stranger on the check page only the public answer and a way to sign in', async () => {
    await page.goto(checkPage(valid.code, valid.kid, valid.signature));
    await seeText(page.locator('[data-status]').first(), '有效：本次检查已登记授权', 'exact');
    await seeText(page.locator('#enterprise-check'), '登录企业服务');
    expect(await page.getByTestId('verify').count()).toBe(0);
  });

  it('signs the enterprise in on the portal, then answers a valid code in one tap and records the scan', async () => {
    await page.goto(`${base}/portal/`);
    await page.getByTestId('token-input').fill(t.token(ent));
    await page.getByTestId('signin').click();
    await page.getByTestId('code-input').waitFor();

    await page.goto(checkPage(valid.code, valid.kid, valid.signature));
    await seeText(page.getByTestId('verify'), '这次检查是否经过授权？', 'exact');
    const r = await answer();
    expect(r.authorised).toBe('true');
    expect(r.reason).toContain('有效：本次检查已登记授权');
    await seeText(page.locator('[data-field=agencies]'), w.agency.name, 'exact');
    expect(await scansOf(valid.id)).toMatchObject([{ byRole: 'enterprise', accepted: true }]);
  });

  it('says a revoked code does not authorise the visit, with the reason and the article', async () => {
    await page.goto(checkPage(revoked.code, revoked.kid, revoked.signature));
    const r = await answer();
    expect(r.authorised).toBe('false');
    expect(r.reason).toContain('撤销');
    await seeText(page.getByTestId('verify-answer'), '第十七条');
    // The Order gives no right to refuse for want of a code (第十七条): verify and report; the right to
    // refuse when no certificate is shown is 《行政处罚法》第五十五条's.
    await seeText(page.getByTestId('verify-advice'), '《中华人民共和国行政处罚法》第五十五条');
    expect(await page.getByTestId('verify-advice').textContent()).not.toContain('可拒绝检查');
  });

  it('says a forged code is forged and records no scan against the genuine one', async () => {
    const forged = `${valid.signature.slice(0, -4)}AAAA`;
    await page.goto(checkPage(valid.code, valid.kid, forged));
    await expect(page.locator('[data-status]').first().getAttribute('data-status')).resolves.toBe('forged');
    const r = await answer();
    expect(r.authorised).toBe('false');
    expect(r.reason).toContain('伪造');
    expect(await scansOf(valid.id)).toHaveLength(1);
  });

  it('checks a code typed into the portal the same way', async () => {
    await page.goto(`${base}/portal/#/check`);
    await page.getByTestId('code-input').fill(`${base}/v/${revoked.code}?k=${revoked.kid}&s=${revoked.signature}`);
    const r = await answer();
    expect(r.authorised).toBe('false');
    expect(r.reason).toContain('撤销');
    // The code was revoked before its window (13:00) opened: the public check behind the answer says the
    // state only, naming no agency, enterprise or window (minimal disclosure, docs/CODE-FORMAT.md §7).
    expect(await page.getByTestId('verify-answer').textContent()).not.toContain(w.agency.name);
  });

  it('answers “对方未出示检查码” with the inspection whose code is in force now, by the agency’s name', async () => {
    await page.goto(`${base}/portal/`);
    await page.getByTestId('verify-no-code').click();
    const card = page.getByTestId('verify-answer');
    await seeText(card, '有已登记的检查，但未出示检查码');
    await seeText(page.getByTestId('verify-reason'), w.agency.name);
    expect(await page.getByTestId('verify-reason').textContent()).not.toContain(w.agency.code);
  });

  it('shows the off-site notices and marks one read', async () => {
    const id = randomUUID();
    await t.db.insert(enterpriseNotices).values({
      id, rule: 'OFFSITE_NOTICE', article: '第三十七条', agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, title: '店外经营提示',
      observed: '监控设备拍到店外占道经营', observedAt: new Date('2026-04-05T02:00:00Z'), ruleBasis: '《武汉市市容环境卫生管理条例》第十四条',
      howToCorrect: '将经营物品移回店内', contact: { department: '市容科', phone: '027-00000000' }, body: '店外占道经营', issuedBy: w.officer.sub, issuedAt: new Date('2026-04-05T03:00:00Z'),
    });
    await page.goto(`${base}/portal/#/notices`);
    const card = page.getByTestId('notice-card');
    await seeText(card, '将经营物品移回店内');
    await page.getByTestId('notice-read').click();
    await seeText(card.locator('.badge'), '已读', 'exact');
    const read = await t.call({ method: 'GET', url: `/api/v1/enterprise-notices/${id}`, as: ent });
    expect(read.json().readAt).not.toBeNull();
  });

  it('reports a visit without a code; the flag appears on the supervisor’s list', async () => {
    await page.goto(`${base}/portal/#/report`);
    await page.getByTestId('report-time').fill('2026-04-07T15:00');
    await page.getByTestId('report-agency-text').fill('自称市场监管局“督导组”');
    await page.getByTestId('report-description').fill('两人以督导名义查看后厨，未出示检查码，要求法定代表人到场。');
    await page.getByTestId('prohibition-legal_rep_required').check();
    await page.getByTestId('prohibition-disguised_label').check();
    await page.getByTestId('report-submit').click();
    await seeText(page.getByTestId('notice'), '没有针对本企业的有效检查码');
    await seeText(page.getByTestId('report-flags'), '第四十条第（五）项');

    // The supervisor of the enterprise's district, in a tab of its own.
    const console = await browser.context.newPage();
    await console.setViewportSize({ width: 1366, height: 900 });
    await console.goto(`${base}/console/`);
    await console.getByTestId('token-input').fill(t.token(w.supervisor));
    await console.getByTestId('signin').click();
    await console.getByTestId('dashboard').waitFor();
    await console.goto(`${base}/console/#/flags?rule=DISGUISED_INSPECTION`);
    const row = console.locator('[data-testid=flag-row][data-rule=DISGUISED_INSPECTION]');
    await row.first().waitFor();
    await expect(row.count()).resolves.toBe(1);
    await seeText(row, '自称市场监管局“督导组”');
    await seeText(row, w.enterprise.name);
    await console.close();
  });
  it('shows a rectification order with its 文号 and 期限 (第二十条第二款)', async () => {
    const findings = await t.call({
      method: 'POST',
      url: `/api/v1/inspections/${valid.id}/findings`,
      as: w.officer,
      payload: { methods: ['documents'], items: [{ item: '进货查验记录', result: 'violation' }], outcome: { kind: 'rectification', noticeNo: '武昌市监责改〔2026〕12号', dueDate: '2026-04-22' } },
    });
    expect(findings.statusCode).toBe(200);
    await page.goto(`${base}/portal/#/inspections`);
    const card = page.locator(`[data-testid=inspection-card][data-id="${valid.id}"]`);
    await seeText(card.getByTestId('outcome'), '责令改正');
    await seeText(card.getByTestId('outcome-notice-no'), '武昌市监责改〔2026〕12号', 'exact');
    await seeText(card.getByTestId('outcome-due'), '2026-04-22 前', 'exact');
  });
});
