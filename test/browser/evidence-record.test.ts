import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import { as } from '../support/factories.js';
import { exifJpeg } from '../support/evidence-files.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, openBrowser, seeText, serve } from './browser-support.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PREMISES = { latitude: 30.5431, longitude: 114.3162 };

/**
 * 掌上执法 at 390 px: the officer scans with the phone's position (亮码即定位), attaches a photo from the camera
 * and checks it against the hash the audit chain recorded, and the enterprise's representative signs the
 * 现场检查笔录 with a finger on the officer's phone (第十七条第（二）项、第十九条).
 */
describeBrowser('现场取证与现场检查笔录：手机上拍照上传并核验哈希，企业代表在屏幕上签名', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let browser: Browser;
  let page: Page;
  let base: string;
  let id: string;
  const photo = exifJpeg({ taken: '2026:04:08 10:12:00', offset: '+08:00', latitude: 30.5433, longitude: 114.3164 });

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), openBrowser({ width: 390, height: 844 })]);
    w = await newInspectionWorld(t);
    expect((await t.call({ method: 'PATCH', url: `/api/v1/enterprises/${w.enterprise.creditCode}`, as: as.admin(), payload: PREMISES })).statusCode).toBe(200);
    id = await approvedInspection(t, w);
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).statusCode).toBe(201);
    t.clock.set('2026-04-08T10:05:00+08:00');
    base = await serve(t);
    // The phone is across the river from the premises: the scan is marked far (设置 SCAN_FAR_METRES).
    await browser.context.grantPermissions(['geolocation'], { origin: base });
    await browser.context.setGeolocation({ latitude: 30.5601, longitude: 114.2651, accuracy: 25 });
    page = await browser.context.newPage();
    await page.goto(`${base}/favicon.ico`);
    await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), ['wh327.officer.token', t.token(w.officer)]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const open = async () => {
    // A goto to the URL already shown changes nothing: reload, so the view reads the inspection afresh.
    await page.goto(`${base}/officer/#/inspection/${id}`);
    await page.reload();
    await page.getByTestId('inspection').waitFor();
  };

  async function axeViolations(): Promise<string[]> {
    await page.evaluate(AXE_SOURCE);
    const violations = (await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
      return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })).violations;
    })) as { id: string; nodes: { target: string[] }[] }[];
    return violations.map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  it('scans with the phone’s position after consent, and shows the far-from-premises marker', async () => {
    await open();
    await page.getByTestId('scan-consent').check();
    await page.getByTestId('scan').click();
    await page.locator('[data-testid=inspection][data-state=in_progress]').waitFor();
    await seeText(page.getByTestId('scans'), 'SCAN_FAR_METRES');
    const [scan] = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.supervisor })).json().scans;
    expect(scan.position.latitude).toBeCloseTo(30.5601, 4);
    expect(scan.farFromPremises.far).toBe(true);
  });

  it('attaches a photo from the camera and verifies it against its recorded hash', async () => {
    await page.getByTestId('evidence-file').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByTestId('evidence-note').fill('仓库货架');
    await page.getByTestId('attach-evidence').click();
    const item = page.getByTestId('evidence-item');
    await item.waitFor();
    expect(await item.getAttribute('data-sha256')).toBe(createHash('sha256').update(photo).digest('hex'));
    await seeText(item, '拍摄于');
    await seeText(item, '文件记录');
    await page.getByTestId('verify-evidence').click();
    await seeText(page.getByTestId('evidence-verified'), '与审计链记录的哈希一致');
    expect(await page.getByTestId('evidence-verified').getAttribute('data-ok')).toBe('true');
    expect(await axeViolations()).toEqual([]);
  });

  it('refuses a file that is not a photo or video beside the picker', async () => {
    await page.getByTestId('evidence-file').setInputFiles({ name: 'fake.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<html>not a photo</html>') });
    await page.getByTestId('attach-evidence').click();
    await seeText(page.getByTestId('evidence-error'), '仅接受');
    expect(await page.getByTestId('evidence-item').count()).toBe(1);
  });

  it('has the representative sign the 现场检查笔录 on screen, after a confirmation', async () => {
    t.clock.set('2026-04-08T10:40:00+08:00');
    const findings = await t.call({
      method: 'POST',
      url: `/api/v1/inspections/${id}/findings`,
      as: w.officer,
      payload: { methods: ['documents'], items: [{ item: '进货查验记录', result: 'violation', note: '3月份记录缺失' }], outcome: { kind: 'rectification', noticeNo: '武昌市监责改〔2026〕12号', dueDate: '2026-04-22' } },
    });
    expect(findings.statusCode).toBe(200);
    await open();
    const pad = page.getByTestId('signature-pad');
    await pad.scrollIntoViewIfNeeded();
    await page.getByTestId('sign-record').click();
    await seeText(page.getByTestId('signer-name-error'), '请填写签名人姓名');
    await page.getByTestId('signer-name').fill('张三');
    await page.getByTestId('signature-pad').scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) await page.mouse.move(box.x + 20 + k * 25, box.y + box.height / 2 + (k % 2 ? -20 : 20));
    await page.mouse.up();
    expect(await axeViolations()).toEqual([]);
    await page.getByTestId('sign-record').click();
    await page.getByTestId('sign-confirm').click();
    await seeText(page.getByTestId('record-signed'), '已由张三（法定代表人）');
    const record = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/record`, as: w.supervisor })).json();
    expect(record).toMatchObject({ signed: true, signature: { signerName: '张三', signerRole: '法定代表人' } });
    const image = await t.call({ method: 'GET', url: record.signature.imageUrl, as: w.supervisor });
    expect(image.rawPayload.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(createHash('sha256').update(image.rawPayload).digest('hex')).toBe(record.signature.signatureSha256);
    // Tap targets of the new controls are at least 44 px high.
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=evidence] button, [data-testid=record] button')].filter((b) => b.getBoundingClientRect().height < 44).map((b) => b.textContent),
    );
    expect(small).toEqual([]);
  });
});
