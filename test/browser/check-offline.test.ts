import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import { generateSigningKey, Keyring } from '../../src/codes/keyring.js';
import { decodeBase32, encodeBase32 } from '../../src/codes/compact.js';
import { checkUrl, qrCheckUrl } from '../../src/codes/signed-code.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { issuedCheckUrl, issuedPrintedQrUrl } from './check-url.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, openBrowser, seeText, serve } from './browser-support.js';

/**
 * 第十七条第（二）项 现场出示检查码并扫码: the enterprise at its gate checks the QR on its phone. Once the phone
 * has opened a check page online (the page and the published keys are kept), it still answers 签名有效 /
 * 签名无效 with the network cut, from the signed message the QR carries (docs/CODE-FORMAT.md §7) — the printed
 * QR's packed facts (v2) as well, for a code this phone never opened online.
 */
describeBrowser('第十七条 检查码：无网络时企业在门口仍可核验二维码签名', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let browser: Browser;
  let page: Page;
  let base: string;
  let first: string;
  let second: string;
  let printed: string;

  const issue = () => issuedCheckUrl(t, w, base);
  const verdict = () => page.getByTestId('offline-verdict');

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), openBrowser({ width: 390, height: 844 })]);
    w = await newInspectionWorld(t, { cap: 5 });
    base = await serve(t);
    t.clock.set('2026-04-02T09:00:00+08:00');
    first = await issue();
    second = await issue();
    printed = await issuedPrintedQrUrl(t, w, base);
    t.clock.set('2026-04-08T10:00:00+08:00');
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.context.setOffline(false);
    await browser?.close();
    await t?.close();
  });

  it('verifies the signature in the browser online, and keeps the keys and the page for later', async () => {
    expect(first).toContain('#m=');
    await page.goto(first);
    await verdict().waitFor();
    expect(await verdict().getAttribute('data-verdict')).toBe('valid');
    await seeText(page.getByTestId('keys-fetched-at'), '本机保存的平台公钥更新于');
    // The service worker has taken the page's files into its cache before the network goes.
    const cached = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const cache = await caches.open('wh327-check-v3');
      return Boolean(await cache.match('/portal/check-offline.html')) && Boolean(await cache.match('/portal/offline-verify.js'));
    });
    expect(cached).toBe(true);
  });

  it('answers 签名有效 for another code with the network cut, showing the signed facts and when the keys were fetched', async () => {
    await browser.context.setOffline(true);
    try {
      await page.goto(second);
      await page.getByTestId('offline-banner').waitFor();
      await verdict().waitFor();
      expect(await verdict().getAttribute('data-verdict')).toBe('valid');
      await seeText(verdict(), '签名有效');
      // The credit code masked, as the online answer masks it (names, not raw identifiers).
      const cc = w.enterprise.creditCode;
      await seeText(page.locator('[data-field="offline-enterprise"]'), `${cc.slice(0, 4)}${'*'.repeat(cc.length - 8)}${cc.slice(-4)}`, 'exact');
      await seeText(page.getByTestId('keys-fetched-at'), '本机保存的平台公钥更新于');
    } finally {
      await browser.context.setOffline(false);
    }
  });

  it('answers 签名无效 with the network cut when the QR’s facts were altered, and refuses a non-canonical signature', async () => {
    const url = new URL(second);
    const message = JSON.parse(Buffer.from(new URLSearchParams(url.hash.slice(1)).get('m')!, 'base64url').toString('utf8'));
    const altered = Buffer.from(JSON.stringify({ ...message, validTo: '2026-04-30T09:00:00.000Z' })).toString('base64url');
    const signature = url.searchParams.get('s')!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = signature.slice(0, -1) + alphabet[alphabet.indexOf(signature.at(-1)!) ^ 1];
    await browser.context.setOffline(true);
    try {
      // Only the fragment differs from the page already open: leave it first, or the browser would not reload.
      await page.goto('about:blank');
      await page.goto(`${url.origin}${url.pathname}${url.search}#m=${altered}`);
      await verdict().waitFor();
      expect(await verdict().getAttribute('data-verdict')).toBe('forged');
      await seeText(verdict(), '签名无效');
      expect(await page.locator('[data-field="offline-enterprise"]').count()).toBe(0);

      const q = new URLSearchParams(url.search);
      q.set('s', respelled);
      await page.goto(`${url.origin}${url.pathname}?${q}${url.hash}`);
      await verdict().waitFor();
      expect(await verdict().getAttribute('data-verdict')).toBe('refused');
    } finally {
      await browser.context.setOffline(false);
    }
  });

  it('online, turns the one verdict to 签名无效 for an altered QR and says in one line why it differs from the platform’s record', async () => {
    const url = new URL(second);
    const message = JSON.parse(Buffer.from(new URLSearchParams(url.hash.slice(1)).get('m')!, 'base64url').toString('utf8'));
    const altered = Buffer.from(JSON.stringify({ ...message, validTo: '2026-04-30T09:00:00.000Z' })).toString('base64url');
    await page.goto('about:blank');
    await page.goto(`${url.origin}${url.pathname}${url.search}#m=${altered}`);
    await verdict().waitFor();
    expect(await verdict().getAttribute('data-verdict')).toBe('forged');
    await seeText(page.getByTestId('verdict'), '签名无效');
    await seeText(page.getByTestId('verdict-difference'), '不同的原因');
  });

  it('checks a compact QR (no #m=) by fetching its signed message online, and again offline from the kept copy', async () => {
    const url = new URL(second);
    const compact = `${url.origin}${url.pathname}${url.search}`;
    await page.goto('about:blank');
    await page.goto(compact);
    await verdict().waitFor();
    expect(await verdict().getAttribute('data-verdict')).toBe('valid');
    await browser.context.setOffline(true);
    try {
      await page.goto('about:blank');
      await page.goto(compact);
      await verdict().waitFor();
      expect(await verdict().getAttribute('data-verdict')).toBe('valid');
    } finally {
      await browser.context.setOffline(false);
    }
  });

  it('checks an SM2-SM3 code with the network cut too — the electronic link and the printed QR — though WebCrypto has no SM2', async () => {
    // A key set as published after SM2 keys were added: the page keeps it from its last visit online.
    const keyring = new Keyring([generateSigningKey('sm2-2026', true, 'SM2-SM3')], { signingAlg: 'SM2-SM3' });
    const facts = JSON.parse(Buffer.from(new URLSearchParams(new URL(second).hash.slice(1)).get('m')!, 'base64url').toString('utf8'));
    const { kid, signature, compactSignature } = keyring.sign(facts);
    await page.goto(second);
    await verdict().waitFor();
    await page.evaluate((sm2Key) => {
      const saved = JSON.parse(localStorage.getItem('wh327-inspection-keys')!);
      localStorage.setItem('wh327-inspection-keys', JSON.stringify({ ...saved, keys: [...saved.keys, sm2Key] }));
    }, keyring.publicKeys()[0]);
    const printedSm2 = qrCheckUrl(base, facts.code, kid, signature, { signature: compactSignature, facts });
    const url = new URL(printedSm2);
    const packed = decodeBase32(url.hash.slice(1))!;
    packed[2] = 5; // five officers instead of the two signed for
    await browser.context.setOffline(true);
    try {
      for (const [target, expected] of [
        [checkUrl(base, facts.code, kid, signature, facts), 'valid'],
        [printedSm2, 'valid'],
        [`${url.origin}${url.pathname}${url.search}#${encodeBase32(packed)}`, 'forged'],
      ] as const) {
        await page.goto('about:blank');
        await page.goto(target);
        await verdict().waitFor();
        expect(await verdict().getAttribute('data-verdict'), target).toBe(expected);
      }
      await seeText(page.getByTestId('verdict').locator('.verdict-word'), '签名无效', 'exact');
    } finally {
      await browser.context.setOffline(false);
    }
  });

  it('answers 有效 with the network cut for a printed QR this phone never opened online, from its packed signed facts (v2)', async () => {
    expect(new URL(printed).hash).toMatch(/^#[A-Z2-7]+$/);
    // The page and the keys from an earlier visit online — to another code, not this one.
    const gate = await browser.context.newPage();
    try {
      await gate.goto(first);
      await gate.getByTestId('offline-verdict').waitFor();
      await gate.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      // Inside the window, as the phone's own clock tells it at the gate.
      await gate.clock.setFixedTime(new Date('2026-04-08T10:00:00+08:00'));
      await browser.context.setOffline(true);
      await gate.goto('about:blank');
      await gate.goto(printed);
      await gate.getByTestId('offline-banner').waitFor();
      const line = gate.getByTestId('offline-verdict');
      await line.waitFor();
      expect(await line.getAttribute('data-verdict')).toBe('valid');
      const top = gate.getByTestId('verdict');
      expect(await top.getAttribute('data-verdict')).toBe('valid');
      await seeText(top.locator('.verdict-word'), '有效', 'exact');
      expect(await gate.locator('main').textContent()).not.toContain('须联网核验');
      const cc = w.enterprise.creditCode;
      await seeText(gate.locator('[data-field="offline-enterprise"]'), `${cc.slice(0, 4)}${'*'.repeat(cc.length - 8)}${cc.slice(-4)}`, 'exact');
      await seeText(gate.locator('[data-field="offline-inspectors"]'), '2', 'exact');
      await seeText(gate.locator('[data-field="offline-kind"]'), '日常检查', 'exact');

      // The packed window end moved a day later: the signature no longer covers it.
      const url = new URL(printed);
      const packed = decodeBase32(url.hash.slice(1))!;
      packed.writeUInt32BE(packed.readUInt32BE(9) + 86_400, 9);
      await gate.goto('about:blank');
      await gate.goto(`${url.origin}${url.pathname}${url.search}#${encodeBase32(packed)}`);
      await line.waitFor();
      expect(await line.getAttribute('data-verdict')).toBe('forged');
      await seeText(top.locator('.verdict-word'), '签名无效', 'exact');
      expect(await gate.locator('[data-field="offline-enterprise"]').count()).toBe(0);
    } finally {
      await browser.context.setOffline(false);
      await gate.close();
    }
  });

  it('online, the printed QR’s signature opens the platform’s answer, and this phone’s check of its packed facts agrees', async () => {
    await page.goto('about:blank');
    await page.goto(printed);
    await verdict().waitFor();
    expect(await page.getByTestId('verdict').getAttribute('data-status')).toBe('valid');
    expect(await verdict().getAttribute('data-verdict')).toBe('valid');
    await seeText(verdict(), '与平台登记一致');
    await seeText(page.locator('[data-field="enterprise"]'), w.enterprise.name);
  });
});
