import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compactMessageOf, decodeBase32 } from '../../src/codes/compact.js';
import { canonicalFacts, type CodeFacts } from '../../src/codes/facts.js';
import { generateKeyring } from '../../src/codes/keyring.js';
// The check page's own SM2-SM3 verifier (browsers' WebCrypto has none), run here against the server's signer.
import { sm2Verify, sm3 } from '../../web/portal/sm2-verify.js';

const facts: CodeFacts = {
  code: 'JC-2026-7K3M-9QXT-C',
  inspectionId: '0b9f3c1e-2d4a-4e7b-9c61-5a8f2e7d3b10',
  agencies: ['WH-JA-SCJG'],
  enterprise: '91420102MA4K0000XX',
  matters: ['M-FOOD-01'],
  kind: 'routine',
  validFrom: '2026-04-08T01:00:00.000Z',
  validTo: '2026-04-08T09:00:00.000Z',
  inspectorCount: 2,
};

describe('第十七条 检查码：核验页在浏览器中离线核验国密（SM2-SM3）签名', () => {
  it('hashes as GB/T 32905 and node:crypto’s SM3 do', () => {
    // The standard's own example: SM3("abc").
    expect(Buffer.from(sm3(new TextEncoder().encode('abc'))).toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    for (const n of [0, 55, 56, 64, 200]) {
      const bytes = Buffer.alloc(n, 0x61 + (n % 7));
      expect(Buffer.from(sm3(bytes)).toString('hex')).toBe(createHash('sm3').update(bytes).digest('hex'));
    }
  });

  it('accepts the server’s SM2 signatures (v1 and the printed QR’s v2) and refuses them altered or under another key', () => {
    const keyring = generateKeyring('sm2-2026', 'SM2-SM3');
    const { jwk } = keyring.publicKeys()[0]!;
    const x = Buffer.from(jwk.x!, 'base64url');
    const y = Buffer.from(jwk.y!, 'base64url');
    const signed = keyring.sign(facts);
    const v1 = Buffer.from(canonicalFacts(facts));
    const v2 = compactMessageOf(facts);
    const der = Buffer.from(signed.signature, 'base64url');
    const compact = decodeBase32(signed.compactSignature)!;
    expect(sm2Verify(x, y, v1, der)).toBe(true);
    expect(sm2Verify(x, y, v2, compact)).toBe(true);
    expect(sm2Verify(x, y, v2, der)).toBe(false);
    expect(sm2Verify(x, y, compactMessageOf({ ...facts, inspectorCount: 3 }), compact)).toBe(false);
    const other = generateKeyring('sm2-other', 'SM2-SM3').publicKeys()[0]!.jwk;
    expect(sm2Verify(Buffer.from(other.x!, 'base64url'), Buffer.from(other.y!, 'base64url'), v2, compact)).toBe(false);
    // A second DER spelling of the same (r, s) — a superfluous leading zero — is refused.
    const padded = Buffer.concat([Buffer.from([0x30, der[1]! + 1, 0x02, der[3]! + 1, 0x00]), der.subarray(4)]);
    expect(sm2Verify(x, y, v1, padded)).toBe(false);
    expect(sm2Verify(x, y, v1, Buffer.from('garbage'))).toBe(false);
  });
});
