import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePublishedKeys, verifyMessageWithPublishedKeys } from '../../src/codes/published-keys.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * The public check of a code (第八条 信息公开, 第四十条第（六）项 不得泄露商业秘密、个人隐私; the code itself:
 * 第十七条): who is inspected, for what and when is shown only to the QR holder (the signature) once the
 * window has opened; a revocation shows its category, never the head's reason (docs/COMPLIANCE.md).
 */
describeDb('第十七条 检查码公开核验：最小披露', () => {
  let t: TestApp;
  let w: InspectionWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 20 });
  });
  afterAll(() => t.close());

  const issue = async () => {
    t.clock.set('2026-04-02T09:00:00+08:00'); // a week before the registered window (2026-04-08 09:00–17:00)
    const id = await approvedInspection(t, w);
    const issued = (await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).json();
    return { id, code: issued.code as string, signed: `?k=${issued.kid}&s=${issued.signature}` };
  };
  const check = async (code: string, q = '') => (await t.call({ method: 'GET', url: `/api/v1/codes/${code}${q}` })).json();
  const page = async (code: string, q = '') => (await t.call({ method: 'GET', url: `/v/${code}${q}` })).body;
  const stateOnly = (code: string, status: string, signatureChecked: boolean) => ({ code, status, statusZh: expect.any(String), signatureChecked });

  describe('未携带签名或检查时间未到：只说明检查码是否存在及其状态', () => {
    it('reveals no enterprise, agency, matters or window for a code not yet valid, with or without its signature', async () => {
      const { code, signed } = await issue();
      expect(await check(code)).toEqual(stateOnly(code, 'not_yet_valid', false));
      expect(await check(code, signed)).toEqual(stateOnly(code, 'not_yet_valid', true));
      for (const body of [await page(code), await page(code, signed)]) {
        expect(body).toContain('data-status="not_yet_valid"');
        expect(body).not.toContain(w.enterprise.name);
        expect(body).not.toContain(w.enterprise.creditCode.slice(0, 6));
        expect(body).not.toContain('data-field="window"');
        expect(body).not.toContain('data-field="matters"');
      }
    });

    it('reveals nothing but the state without the signature, even inside the window', async () => {
      const { code } = await issue();
      t.clock.set('2026-04-08T10:00:00+08:00');
      expect(await check(code)).toEqual(stateOnly(code, 'valid', false));
      expect(await page(code)).not.toContain(w.enterprise.name);
    });

    it('shows the details, names masked, to the QR holder once the window has opened', async () => {
      const { code, signed } = await issue();
      t.clock.set('2026-04-08T10:00:00+08:00');
      const c = await check(code, signed);
      expect(c).toMatchObject({ status: 'valid', signatureChecked: true, enterprise: { name: w.enterprise.name }, inspectorCount: 2 });
      expect(c.enterprise.creditCodeMasked).toContain('********');
      expect(c.inspectors.every((p: { name: string }) => p.name.includes('*'))).toBe(true);
      expect(await page(code, signed)).toContain(w.enterprise.name);
      // The signed bytes, for whoever holds a QR printed without them, verify under the published keys.
      const keys = parsePublishedKeys((await t.call({ method: 'GET', url: '/.well-known/inspection-keys' })).json());
      const q = new URLSearchParams(signed);
      expect(verifyMessageWithPublishedKeys(keys, q.get('k')!, Buffer.from(c.signedMessage, 'base64url'), q.get('s')!)).toMatchObject({ code, enterprise: w.enterprise.creditCode });
      expect((await check(code)).signedMessage).toBeUndefined();
    });
  });

  describe('撤销：公开类别，理由仅内部留存', () => {
    it('shows the category the head chose, never the reason', async () => {
      const { code, signed } = await issue();
      const reason = '举报人张某反映检查人员与企业存在利害关系';
      const res = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/revoke`, as: w.head, payload: { reason, category: 'team_changed' } });
      expect(res.statusCode, res.body).toBe(200);
      t.clock.set('2026-04-08T10:00:00+08:00');
      const c = await check(code, signed);
      expect(c).toMatchObject({ status: 'revoked', revokedCategory: 'team_changed', revokedCategoryZh: '检查人员变更' });
      expect(JSON.stringify(c)).not.toContain('举报人');
      const body = await page(code, signed);
      expect(body).toContain('检查人员变更');
      expect(body).not.toContain('举报人');
    });

    it('files a cancelled inspection’s code under 检查已取消', async () => {
      const { id, code, signed } = await issue();
      const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/cancel`, as: w.officer, payload: { reason: '企业已注销' } });
      expect(res.statusCode, res.body).toBe(200);
      t.clock.set('2026-04-08T10:00:00+08:00');
      expect(await check(code, signed)).toMatchObject({ status: 'revoked', revokedCategory: 'inspection_cancelled', revokedCategoryZh: '检查已取消' });
    });

    it('refuses a category outside the list, naming the field', async () => {
      const { code } = await issue();
      const res = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/revoke`, as: w.head, payload: { reason: '重新申请', category: 'because' } });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('category');
    });
  });
});
