import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import type { Principal } from '../../src/auth/principal.js';
import { as, newJusticeBureau } from '../support/factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newCompetentAgency, newReferral } from '../support/referral-factories.js';
import { issuedCode, newFlag } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, openBrowser, serve } from './browser-support.js';

// The app's CSP (script-src 'self') refuses an injected <script>, so axe-core's source is evaluated
// through the DevTools protocol instead, which the page's CSP does not govern.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1366, height: 900 },
];

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Every page of the three apps — the officers' app, the supervisors' console, the enterprises' portal —
 * and the public check page, on a phone and on a desktop: axe-core (WCAG 2.1 A and AA rules) finds no
 * violation, and no page is wider than its viewport.
 */
describeBrowser('三个前端的每个页面：无障碍检查无违规，页面不宽于屏幕', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let browser: Browser;
  let page: Page;
  let base: string;
  let pages: { app: string; who: Principal | null; hash: string; path?: string }[];

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), openBrowser()]);
    w = await newInspectionWorld(t, { cap: 5 });
    const bureau = await newJusticeBureau(t.db, { name: '武汉市司法局（测试）' });
    const draft = await approvedInspection(t, w);
    const coded = await issuedCode(t, w, { windowStart: '2026-04-09T09:00:00+08:00', windowEnd: '2026-04-09T17:00:00+08:00' });
    const sender = await newCompetentAgency(t.db, w, { name: '武汉市武昌区生态环境局' });
    await newReferral(t.db, { agencyCode: sender.code, competentAgencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, foundOn: '2026-04-01', dueDate: '2026-04-15', state: 'sent', sentOn: '2026-04-02' });
    const flagId = await newFlag(t.db, '2026-04-03T02:00:00Z', { rule: 'COST_SHIFTED', agencyCode: w.agency.code, detail: '抽样检验费用 1800 元由企业承担，违反第二十二条第二款' });
    t.clock.set('2026-04-08T10:00:00+08:00');
    base = await serve(t);
    page = await browser.context.newPage();
    const officer = w.officer;
    const supervisor = as.supervisor(bureau.code);
    const notice = (await t.call({ method: 'POST', url: '/api/v1/supervision-notices', as: supervisor, payload: { flagId, dueDate: '2026-04-15', request: '请说明检验费用由企业承担的情况' } })).json();
    const enterprise = as.enterprise(w.enterprise.creditCode);
    pages = [
      { app: 'officer', who: null, hash: '' },
      ...['today', 'draft', 'referrals', 'joint', `inspection/${draft}`, `inspection/${coded.id}`].map((h) => ({ app: 'officer', who: officer, hash: h })),
      { app: 'officer', who: w.head, hash: 'approvals' },
      { app: 'officer', who: w.head, hash: 'supervision' },
      { app: 'officer', who: w.head, hash: 'proposals' },
      { app: 'console', who: null, hash: '' },
      ...['dashboard', 'flags', `flags/${flagId}`, 'inspections', `inspections/${coded.id}`, 'plans', 'reports', 'ratings', 'audit', 'notices', `notices/${notice.id}`, 'declarations', 'proposals', 'proposals?tab=counts', 'proposals?tab=avoided'].map((h) => ({ app: 'console', who: supervisor, hash: h })),
      { app: 'portal', who: null, hash: '' },
      ...['check', 'inspections', 'report', 'reports', 'notices'].map((h) => ({ app: 'portal', who: enterprise, hash: h })),
      { app: 'check', who: null, hash: '', path: `/v/${coded.code}?k=${coded.kid}&s=${coded.signature}` },
    ];
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(p: (typeof pages)[number]) {
    await page.goto(`${base}/favicon.ico`);
    await page.evaluate(() => localStorage.clear());
    if (p.who) await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), [`wh327.${p.app}.token`, t.token(p.who)]);
    await page.goto(p.path ? `${base}${p.path}` : `${base}/${p.app}/#/${p.hash}`);
    await page.waitForFunction(() => {
      const app = document.getElementById('app');
      return !app || (app.textContent !== '' && !app.textContent!.includes('正在加载'));
    });
  }

  // Each page is loaded once and checked at both sizes (the layout is CSS media queries, which follow a resize):
  // half the page loads and axe injections of one pass per size.
  it('has no axe violations and no sideways overflow on a phone (390 px) and a desktop (1366 px)', async () => {
    const problems: string[] = [];
    for (const p of pages) {
      await page.setViewportSize(VIEWPORTS[0]!);
      await open(p);
      await page.evaluate(AXE_SOURCE);
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport);
        const name = `${p.path ?? `/${p.app}/#/${p.hash}${p.who ? ` (${p.who.role})` : ''}`} @${viewport.width}px`;
        const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
        if (widths.page > widths.viewport) problems.push(`${name}: ${widths.page} px wide in a ${widths.viewport} px viewport`);
        const violations = (await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: unknown[] }> } }).axe;
          return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })).violations;
        })) as AxeViolation[];
        for (const v of violations) problems.push(`${name}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
