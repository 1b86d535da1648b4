import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateSigningKey, Keyring } from '../../src/codes/keyring.js';
import { parsePublishedKeys, verifyCompactWithPublishedKeys, verifyMessageWithPublishedKeys, verifyWithPublishedKeys } from '../../src/codes/published-keys.js';
import { parseCheckUrl } from '../../src/codes/signed-code.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { qrTextsInPng } from '../support/qr-decode.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第十七条第（一）项 检查码 signed with SM2-SM3 when CODE_SIGNING_ALG says so: new codes carry the SM2 key's id,
 * the key set publishes both algorithms, and a code signed with the Ed25519 key before the switch still
 * verifies (docs/CODE-FORMAT.md §2, §3).
 */
describeDb('第十七条 检查码：国密 SM2 签名（CODE_SIGNING_ALG）', () => {
  let t: TestApp;
  let w: InspectionWorld;
  const ed = generateSigningKey('ed-2026', true, 'Ed25519');
  const sm2 = generateSigningKey('sm2-2026', true, 'SM2-SM3');
  const before = new Keyring([ed, sm2], { signingAlg: 'Ed25519' });

  beforeAll(async () => {
    t = await createTestApp({ keyring: new Keyring([ed, sm2], { signingAlg: 'SM2-SM3' }) });
    w = await newInspectionWorld(t, { cap: 10 });
  });
  afterAll(() => t.close());

  it('signs a new code with the SM2 key, verifiable from the published keys and from the QR alone', async () => {
    t.clock.set('2026-04-02T09:00:00+08:00');
    const id = await approvedInspection(t, w);
    const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
    expect(res.statusCode, res.body).toBe(201);
    const issued = res.json();
    expect(issued.kid).toBe('sm2-2026');
    const published = (await t.call({ method: 'GET', url: '/.well-known/inspection-keys' })).json();
    expect(published.keys.map((k: { kid: string; alg: string; status: string }) => [k.kid, k.alg, k.status])).toEqual([
      ['sm2-2026', 'SM2-SM3', 'active'],
      ['ed-2026', 'Ed25519', 'standby'],
    ]);
    const keys = parsePublishedKeys(published);
    expect(verifyWithPublishedKeys(keys, issued.facts, issued.kid, issued.signature)).toBe(true);
    const scanned = parseCheckUrl(issued.checkUrl)!;
    expect(verifyMessageWithPublishedKeys(keys, scanned.kid, scanned.message!, scanned.signature)).toMatchObject({ code: issued.code });

    // The printed QR (code card) carries the SM2 compact signature over its packed facts (docs/CODE-FORMAT.md §5).
    const [printed] = qrTextsInPng((await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/code.png`, as: w.officer })).rawPayload);
    const card = parseCheckUrl(printed!)!;
    expect(verifyCompactWithPublishedKeys(keys, card.kid, card.code, card.packed!, card.signature)).toMatchObject({ enterprise: w.enterprise.creditCode });

    t.clock.set('2026-04-08T10:00:00+08:00');
    const check = (await t.call({ method: 'GET', url: `/api/v1/codes/${issued.code}?k=${issued.kid}&s=${issued.signature}` })).json();
    expect(check).toMatchObject({ status: 'valid', signatureChecked: true });
    const byCard = (await t.call({ method: 'GET', url: `/api/v1/codes/${issued.code}?k=${card.kid}&s=${card.signature}` })).json();
    expect(byCard).toMatchObject({ status: 'valid', signatureChecked: true });
  });

  it('still verifies a code signed with the Ed25519 key before the switch', async () => {
    const facts = {
      code: 'JC-2026-7K3M-9QXT-C',
      inspectionId: 'insp-before-switch',
      agencies: [w.agency.code],
      enterprise: w.enterprise.creditCode,
      matters: [w.matter],
      kind: 'routine' as const,
      validFrom: '2026-04-08T01:00:00.000Z',
      validTo: '2026-04-08T09:00:00.000Z',
      inspectorCount: 2,
    };
    const old = before.sign(facts);
    expect(old.kid).toBe('ed-2026');
    const keys = parsePublishedKeys((await t.call({ method: 'GET', url: '/.well-known/inspection-keys' })).json());
    expect(verifyWithPublishedKeys(keys, facts, old.kid, old.signature)).toBe(true);
    expect(t.keyring.verify(facts, old.kid, old.signature)).toBe(true);
  });
});
