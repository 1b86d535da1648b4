import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from '../../scripts/chromium.js';
import { as } from '../support/factories.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { issuedCheckUrl } from './check-url.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, seeText, serve } from './browser-support.js';

// Evaluated through the DevTools protocol: the page's CSP (script-src 'self') refuses an injected <script>.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * 第十七条第（二）项 现场出示检查码并扫码: the page the QR opens on the enterprise's phone (390 px) gives ONE
 * verdict at the top — the platform's online, this phone's offline — and the phone's own signature check
 * agrees with it or says in one line why it differs. A compact QR (docs/CODE-FORMAT.md §5: no `#m=`) on a
 * phone that never opened it online cannot be checked offline: the verdict says 须联网核验 and why.
 */
describeBrowser('第十七条 检查码核验页：页面顶部只有一个结论', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let browser: Browser;
  let page: Page;
  let base: string;
  let full: string;
  let neverSeen: string;

  const issue = () => issuedCheckUrl(t, w, base);
  const compactOf = (u: string) => u.replace(/#.*$/, '');
  /** Every verdict block the person sees: there must be exactly one. */
  const verdicts = async () => page.locator('.status:visible').count();
  const open = async (url: string) => {
    await page.goto('about:blank');
    await page.goto(url);
    await page.locator('#offline-check[data-ready=true]').waitFor();
  };

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), launchChromium({ width: 390, height: 844 })]);
    w = await newInspectionWorld(t, { cap: 5 });
    base = await serve(t);
    t.clock.set('2026-04-02T09:00:00+08:00');
    full = await issue();
    neverSeen = await issue();
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.context.setOffline(false);
    await browser?.close();
    await t?.close();
  });

  it('online, before the window: one verdict 未到生效时间, and the phone’s line defers to it instead of saying 须联网核验', async () => {
    await open(compactOf(full));
    expect(await verdicts()).toBe(1);
    await seeText(page.getByTestId('verdict'), '未到生效时间');
    expect(await page.getByTestId('verdict').getAttribute('data-verdict')).toBe('not_yet_valid');
    await seeText(page.getByTestId('offline-verdict'), '以上方结果为准');
    expect(await page.locator('main').textContent()).not.toContain('须联网核验');
  });

  it('online, in the window: one verdict 有效, and the phone’s signature check agrees with it', async () => {
    t.clock.set('2026-04-08T10:00:00+08:00');
    await open(full);
    expect(await verdicts()).toBe(1);
    await seeText(page.getByTestId('verdict'), '有效：本次检查已登记授权', 'exact');
    await seeText(page.getByTestId('offline-verdict'), '本机核验签名有效，与平台登记一致');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain('签名无效');
    expect(text).not.toContain('须联网核验');
    // The service worker keeps the page's files for a visit without signal.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
  });

  it('online, with the QR’s facts altered: one verdict 签名无效, and one line saying why it differs from the platform’s record', async () => {
    const url = new URL(full);
    const message = JSON.parse(Buffer.from(new URLSearchParams(url.hash.slice(1)).get('m')!, 'base64url').toString('utf8'));
    const altered = Buffer.from(JSON.stringify({ ...message, inspectorCount: 4 })).toString('base64url');
    await open(`${url.origin}${url.pathname}${url.search}#m=${altered}`);
    expect(await verdicts()).toBe(1);
    await seeText(page.getByTestId('verdict'), '签名无效');
    expect(await page.getByTestId('verdict').getAttribute('data-verdict')).toBe('forged');
    await seeText(page.getByTestId('verdict-difference'), '与平台登记状态（有效）不同的原因');
    expect(await page.getByTestId('verdict').textContent()).not.toContain('有效：');
    // The platform's record stays below it, by name.
    await seeText(page.locator('[data-field=agencies]'), w.agency.name, 'exact');
  });

  it('offline, a QR printed before v2 (no signed facts in it) this phone never opened: one verdict 须联网核验 with the reason, never a bare failure', async () => {
    // The shell is cached (the visits above registered the service worker); this code was never opened.
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return Boolean(reg.active);
    });
    await browser.context.setOffline(true);
    try {
      await page.goto('about:blank');
      await page.goto(compactOf(neverSeen));
      await page.getByTestId('offline-banner').waitFor();
      await page.locator('#offline-check[data-ready=true]').waitFor();
      expect(await verdicts()).toBe(1);
      expect(await page.getByTestId('verdict').getAttribute('data-verdict')).toBe('online_required');
      await seeText(page.getByTestId('verdict'), '须联网核验');
      await seeText(page.getByTestId('verdict'), '精简二维码');
      await seeText(page.getByTestId('verdict'), '执法证件');
    } finally {
      await browser.context.setOffline(false);
    }
  });

  it('offline, a full QR (with #m=): the phone gives the one verdict 有效 from the signed window, by the phone’s own clock', async () => {
    // Offline the phone's clock is the only one: set it inside the window.
    await page.clock.setFixedTime(new Date('2026-04-08T10:00:00+08:00'));
    await browser.context.setOffline(true);
    try {
      await page.goto('about:blank');
      await page.goto(neverSeen);
      await page.locator('#offline-check[data-ready=true]').waitFor();
      expect(await verdicts()).toBe(1);
      expect(await page.getByTestId('verdict').getAttribute('data-verdict')).toBe('valid');
      await seeText(page.getByTestId('verdict'), '有效：二维码签名有效');
      await seeText(page.getByTestId('keys-fetched-at'), '无法得知检查码是否已被撤销');
    } finally {
      await browser.context.setOffline(false);
    }
  });
  it('every verdict it can show (未到生效时间, 有效, 已撤销, 签名无效), and the signed-in enterprise’s one-tap answer: no axe violation, no tap target under 44 px, nothing wider than the phone', async () => {
    // A page of its own: the offline tests above fixed their page's clock.
    const sweep = await browser.context.newPage();
    const revokedUrl = await issue();
    const revokedCode = new URL(revokedUrl).pathname.split('/').pop()!;
    const revoked = await t.call({ method: 'POST', url: `/api/v1/codes/${revokedCode}/revoke`, as: w.head, payload: { reason: '检查人员变更，重新申请', category: 'team_changed' } });
    if (revoked.statusCode !== 200) throw new Error(revoked.body);
    const url = new URL(full);
    const message = JSON.parse(Buffer.from(new URLSearchParams(url.hash.slice(1)).get('m')!, 'base64url').toString('utf8'));
    const altered = `${url.origin}${url.pathname}${url.search}#m=${Buffer.from(JSON.stringify({ ...message, inspectorCount: 4 })).toString('base64url')}`;
    const states = [
      { verdict: 'not_yet_valid', url: compactOf(full), at: '2026-04-02T09:00:00+08:00' },
      { verdict: 'valid', url: full, at: '2026-04-08T10:00:00+08:00' },
      { verdict: 'revoked', url: revokedUrl, at: '2026-04-08T10:00:00+08:00' },
      { verdict: 'forged', url: altered, at: '2026-04-08T10:00:00+08:00' },
    ];
    const problems: string[] = [];
    /** axe (WCAG 2.1 A/AA), tap targets and width of what the page shows now, under `label`. */
    const sweepPage = async (label: string) => {
      await sweep.evaluate(AXE_SOURCE);
      const violations = (await sweep.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: unknown[] }> } }).axe;
        return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })).violations;
      })) as { id: string; nodes: { target: string[] }[] }[];
      for (const v of violations) problems.push(`${label}: ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      const small = await sweep.evaluate(() =>
        [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [role=button], [tabindex]')]
          .filter((el) => (el as HTMLElement).offsetParent !== null)
          .map((el) => ({ what: `${el.tagName.toLowerCase()} ${(el.textContent ?? '').trim().slice(0, 20)}`, r: el.getBoundingClientRect() }))
          .filter((x) => x.r.height < 44 || x.r.width < 44)
          .map((x) => `${x.what} (${Math.round(x.r.width)}×${Math.round(x.r.height)})`),
      );
      for (const m of small) problems.push(`${label}: tap target under 44 px: ${m}`);
      const widths = await sweep.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
      if (widths.page > widths.viewport) problems.push(`${label}: ${widths.page} px wide in a ${widths.viewport} px viewport`);
    };
    try {
      for (const s of states) {
        t.clock.set(s.at);
        await sweep.goto('about:blank');
        await sweep.goto(s.url);
        await sweep.locator('#offline-check[data-ready=true]').waitFor();
        await sweep.locator('#enterprise-check:not([hidden])').waitFor();
        expect(await sweep.getByTestId('verdict').getAttribute('data-verdict')).toBe(s.verdict);
        // The phone's signature line never calls a revoked code consistent with the platform.
        if (s.verdict === 'revoked') await seeText(sweep.getByTestId('offline-verdict'), '检查码状态以上方结果为准');
        await sweepPage(s.verdict);
      }
      // Signed in as the enterprise, after its one-tap check (第十七条第（二）项): the button and the answer card.
      await sweep.evaluate(([k, v]) => localStorage.setItem(k!, v!), ['wh327.portal.token', t.token(as.enterprise(w.enterprise.creditCode))]);
      await sweep.goto('about:blank');
      await sweep.goto(full);
      await sweep.locator('#offline-check[data-ready=true]').waitFor();
      await sweep.getByTestId('verify').click();
      await sweep.getByTestId('verify-answer').waitFor();
      await sweepPage('valid, enterprise signed in, after its check');
    } finally {
      await sweep.close();
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
