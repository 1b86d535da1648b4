import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { compactSignedBytes, decodeBase32, encodeBase32, packCodeFacts, unpackCodeFacts } from '../../src/codes/compact.js';
import type { CodeFacts } from '../../src/codes/facts.js';
import { generateKeyring, type SignatureAlg } from '../../src/codes/keyring.js';
import { verifyCompactWithPublishedKeys } from '../../src/codes/published-keys.js';
import { parseCheckUrl, qrCheckUrl } from '../../src/codes/signed-code.js';

/**
 * 第十七条第（二）项 现场出示检查码并扫码 — the printed QR's signed facts (docs/CODE-FORMAT.md §5, v2): packed small
 * enough that the whole QR stays at version 10, and signed, so a phone that never opened the code online
 * checks it at the gate without signal.
 */

/** The largest realistic code: a joint visit of four units, many matters, four officers, a long window. */
const largest = (over: Partial<CodeFacts> = {}): CodeFacts => ({
  code: 'JC-2026-7K3M-9QXT-C',
  inspectionId: '0b9f3c1e-2d4a-4e7b-9c61-5a8f2e7d3b10',
  agencies: ['420106-SCJGJ-ZFDD', '420106-YJGLJ-ZFDD', '420106-WSJKW-ZFDD', '420106-SJJ-ZHZF'],
  enterprise: '91420106MA4K2B3C7Y',
  matters: Array.from({ length: 12 }, (_, i) => `M-420106-FOOD-${String(i).padStart(3, '0')}`),
  kind: 'joint',
  validFrom: '2026-04-08T01:00:00.123Z',
  validTo: '2026-04-30T09:59:59.999Z',
  inspectorCount: 4,
  ...over,
});

// A production-like public address with a path, and key ids as long as the operators' naming makes them.
const BASE = 'https://zfjd.wuhan.gov.cn/jianchama';
const KID = { Ed25519: 'wh327-ed25519-20260408', 'SM2-SM3': 'wh327-sm2-sm3-20260408' } as const;

describe('第十七条 打印的检查码二维码：精简签名报文（v2）', () => {
  it('packs the facts the gate needs into 26 bytes and reads them back, the window rounded inwards to the second', () => {
    const packed = packCodeFacts(largest());
    expect(packed.length).toBe(26);
    expect(unpackCodeFacts(packed)).toEqual({
      kind: 'joint',
      inspectorCount: 4,
      agencyCount: 4,
      matterCount: 12,
      // Never earlier than the v1 start (it may be the issuance instant, with milliseconds), never later than the end.
      validFrom: '2026-04-08T01:00:01.000Z',
      validTo: '2026-04-30T09:59:59.000Z',
      enterprise: '91420106MA4K2B3C7Y',
    });
  });

  it('keeps an enterprise id that is not a credit code as text, and refuses any second spelling of the same facts', () => {
    const odd = packCodeFacts(largest({ enterprise: 'test-企业-01' }));
    expect(unpackCodeFacts(odd)?.enterprise).toBe('test-企业-01');
    const packed = packCodeFacts(largest());
    expect(unpackCodeFacts(Buffer.concat([packed, Buffer.from([0])]))).toBeNull(); // trailing byte
    expect(unpackCodeFacts(Buffer.from([3, ...packed.subarray(1)]))).toBeNull(); // another format
    const digitsAsText = Buffer.from(packed);
    digitsAsText[13] = 0x80 | 18;
    expect(unpackCodeFacts(Buffer.concat([digitsAsText.subarray(0, 14), Buffer.from('91420106MA4K2B3C7Y')]))).toBeNull();
  });

  it('writes base32 in one spelling only', () => {
    const bytes = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x01]);
    expect(encodeBase32(bytes)).toBe('32W353YB');
    expect(decodeBase32('32W353YB')).toEqual(bytes);
    expect(decodeBase32(encodeBase32(Buffer.from([0xff])))).toEqual(Buffer.from([0xff]));
    expect(encodeBase32(Buffer.from([0xff]))).toBe('74');
    expect(decodeBase32('75')).toBeNull(); // unused bits set
    expect(decodeBase32('743')).toBeNull(); // impossible length
    expect(decodeBase32('74======')).toBeNull(); // padding
    expect(decodeBase32('3a')).toBeNull(); // lower case
  });

  for (const alg of ['Ed25519', 'SM2-SM3'] as const satisfies readonly SignatureAlg[]) {
    describe(alg, () => {
      const keyring = generateKeyring(KID[alg], alg);
      const facts = largest();
      const signed = keyring.sign(facts);
      const url = qrCheckUrl(BASE, facts.code, signed.kid, signed.signature, { signature: signed.compactSignature, facts });

      it('signs both messages in one call, and the printed URL carries a compact signature that verifies', () => {
        expect(keyring.verify(facts, signed.kid, signed.signature)).toBe(true);
        const scanned = parseCheckUrl(url)!;
        expect(scanned).toMatchObject({ code: facts.code, kid: signed.kid, signature: signed.compactSignature });
        expect(keyring.verifyCompact(facts.code, scanned.packed!, scanned.kid, scanned.signature)).toBe(true);
        expect(verifyCompactWithPublishedKeys(keyring.publicKeys(), scanned.kid, facts.code, scanned.packed!, scanned.signature)).toEqual(scanned.compactFacts);
        // The packed facts stay in the fragment: the browser never sends them to a server or its logs.
        expect(new URL(url).hash.slice(1)).toBe(encodeBase32(packCodeFacts(facts)));
      });

      it(`keeps the whole printed QR at version 10 or lower at level M (${alg})`, () => {
        const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
        expect(qr.version).toBeLessThanOrEqual(10);
      });

      it('refuses a tampered packed message, another code’s path, another key and the v1 signature in its place', () => {
        const packed = packCodeFacts(facts);
        const later = Buffer.from(packed);
        later.writeUInt32BE(later.readUInt32BE(9) + 86_400, 9); // the window end a day later
        expect(keyring.verifyCompact(facts.code, later, signed.kid, signed.compactSignature)).toBe(false);
        expect(keyring.verifyCompact('JC-2026-7K3M-9QXV-0', packed, signed.kid, signed.compactSignature)).toBe(false);
        const other = generateKeyring(KID[alg], alg);
        expect(other.verifyCompact(facts.code, packed, signed.kid, signed.compactSignature)).toBe(false);
        expect(verifyCompactWithPublishedKeys(other.publicKeys(), signed.kid, facts.code, packed, signed.compactSignature)).toBeNull();
        expect(keyring.verifyCompact(facts.code, packed, signed.kid, signed.signature)).toBe(false);
        // Domain separation: a v1 signature never passes for the v2 bytes, nor the reverse.
        expect(keyring.verifyBytes(compactSignedBytes(facts.code, packed), signed.kid, signed.signature)).toBe(false);
      });
    });
  }
});
