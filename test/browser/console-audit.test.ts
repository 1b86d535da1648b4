import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import { appendAudit } from '../../src/audit/append.js';
import type { Principal } from '../../src/auth/principal.js';
import { as, newAgency, newEnterprise, newJusticeBureau } from '../support/factories.js';
import { asSuperuser } from '../support/superuser.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, openBrowser, seeText, serve } from './browser-support.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * 第八条、第二十四条 全过程记录、可追溯：the supervisors' audit-log page at 1280 px — browse with names and Beijing
 * time, filter by picked action, agency and dates, export CSV (formula cells guarded), and verify the whole chain
 * from its first entry, which names an entry a database superuser edited.
 */
describeBrowser('监督平台 审计日志页：浏览、筛选、导出、自第 1 条起校验', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let supervisor: Principal;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), openBrowser()]);
    const bureau = await newJusticeBureau(t.db, { name: '武汉市司法局（测试）' });
    const agency = await newAgency(t.db, { name: '武汉市生态环境局（测试）' });
    const enterprise = await newEnterprise(t.db, { name: '武汉测试化工有限公司' });
    const entry = (action: string, at: string, subjectId: string) =>
      appendAudit(t.db, {
        at: new Date(at),
        actor: `officer:${agency.code}`,
        role: 'officer',
        action,
        subjectType: 'inspection',
        subjectId,
        agencyCode: agency.code,
        enterpriseCode: enterprise.creditCode,
        before: null,
        after: 'draft',
        payload: {},
      }, t.app.services.auditMac);
    await entry('inspection.drafted', '2026-03-30T01:00:00Z', 'insp-1');
    await entry('inspection.approved', '2026-03-31T17:30:00Z', '=HYPERLINK("http://x")');
    // An enterprise acts under its login subject `enterprise:<统一社会信用代码>`: the page names the enterprise.
    await appendAudit(t.db, {
      at: new Date('2026-04-02T02:00:00Z'),
      actor: `enterprise:${enterprise.creditCode}`,
      role: 'enterprise',
      action: 'enterprise_report.filed',
      subjectType: 'enterprise_report',
      subjectId: 'report-1',
      agencyCode: null,
      enterpriseCode: enterprise.creditCode,
      before: null,
      after: null,
      payload: {},
    }, t.app.services.auditMac);
    supervisor = as.supervisor(bureau.code);
    base = await serve(t);
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/favicon.ico`);
    await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), ['wh327.console.token', t.token(supervisor)]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists entries with Chinese action and role names, the agency and enterprise by name, in Beijing time', async () => {
    await page.goto(`${base}/console/#/audit`);
    await page.getByTestId('audit-view').waitFor();
    const table = page.getByTestId('audit-log-table');
    await seeText(table, '起草检查方案');
    await seeText(table, '批准检查方案');
    await seeText(table, '执法人员 · 武汉市生态环境局（测试）');
    await seeText(table, '武汉测试化工有限公司');
    // 17:30 UTC on 31 March is 01:30 on 1 April in Beijing.
    await seeText(table, '2026/04/01 01:30');
    expect(await table.textContent()).not.toContain('inspection.approved');
  });

  it('names an enterprise that acted by its name, not its login subject or credit code', async () => {
    await page.goto(`${base}/console/#/audit?action=enterprise_report.filed`);
    await page.getByTestId('audit-view').waitFor();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    const actor = page.getByTestId('audit-row').first().locator('td').nth(2);
    await seeText(actor, '企业 · 武汉测试化工有限公司', 'exact');
    expect(await actor.textContent()).not.toContain('enterprise:');
  });

  it('filters by a picked action, agency and Beijing-time day', async () => {
    await page.goto(`${base}/console/#/audit`);
    await page.getByTestId('audit-filter-action').selectOption({ label: '批准检查方案' });
    await page.getByTestId('audit-filter-agency').selectOption({ label: '武汉市生态环境局（测试）' });
    await page.getByTestId('audit-filter-from').fill('2026-04-01');
    await page.getByTestId('audit-filter-to').fill('2026-04-01');
    await page.getByTestId('audit-filter-apply').click();
    await page.waitForFunction(() => location.hash.includes('action=inspection.approved'));
    await page.getByTestId('audit-view').waitFor();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    expect(await page.getByTestId('audit-row').first().getAttribute('data-action')).toBe('inspection.approved');
    // The day before, in Beijing time, holds only the draft.
    await page.goto(`${base}/console/#/audit?from=2026-03-30&to=2026-03-31`);
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    expect(await page.getByTestId('audit-row').first().getAttribute('data-action')).toBe('inspection.drafted');
  });

  it('exports the filtered entries as CSV with Chinese names and guarded formula cells', async () => {
    await page.goto(`${base}/console/#/audit?action=inspection.approved`);
    await page.getByTestId('audit-view').waitFor();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF链上序号,时间（北京时间）')).toBe(true);
    expect(csv).toContain('批准检查方案');
    expect(csv).toContain('武汉市生态环境局（测试）');
    expect(csv).not.toContain('起草检查方案');
    expect(csv).toContain(`'=HYPERLINK`);
    await seeText(page.getByTestId('audit-status'), '已导出');
  });

  it('verifies the whole chain from its first entry, and names an entry a superuser edited', async () => {
    await page.goto(`${base}/console/#/audit`);
    await page.getByTestId('audit-verify').click();
    await seeText(page.getByTestId('audit-verify-ok'), '自第 1 条起已逐条校验全部');
    await asSuperuser(t.testDb, [`UPDATE audit_entries SET after_state = 'approved' WHERE subject_id = 'insp-1'`]);
    await page.getByTestId('audit-verify').click();
    await seeText(page.getByTestId('audit-verify-bad'), '已被改动');
  });

  it('has no axe violations and tap targets of at least 44 px at 1280 px', async () => {
    await page.goto(`${base}/console/#/audit`);
    await page.getByTestId('audit-view').waitFor();
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string }[] }> } }).axe;
      return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })).violations.map((v) => v.id);
    });
    expect(violations).toEqual([]);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=audit-view] button, [data-testid=audit-view] select, [data-testid=audit-view] input, [data-testid=audit-view] a.button')]
        .map((el) => ({ el: el.getAttribute('data-testid') ?? el.textContent, h: el.getBoundingClientRect().height }))
        .filter((x) => x.h < 44),
    );
    expect(small).toEqual([]);
  });
});
