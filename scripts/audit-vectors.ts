import { createPrivateKey, createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { canonicalEntryV2, canonicalJson, chainHashOfCanonical, GENESIS_HASH, sha256Hex, type ChainedFieldsV2 } from '../src/audit/canonical.js';
import { AUDIT_LOG_ID, checkpointBytes, type Checkpoint } from '../src/audit/checkpoint.js';
import type { ExportedRow } from '../src/audit/export.js';
import { AuditMacKeys } from '../src/audit/mac.js';
import { Keyring } from '../src/codes/keyring.js';
import { projectPath } from '../src/paths.js';

/**
 * The test vectors of docs/AUDIT.md (docs/audit/vectors.json): a two-row chain segment (one SHA-256 row, one
 * SM3 row), its append MACs under a published test key, and a checkpoint of its head signed with a fixed
 * Ed25519 key. Everything is derived from fixed seeds, so running this again writes the same file; the process
 * test (test/process/audit-openssl.test.ts) checks that the engine still builds these bytes.
 *
 *   npx tsx scripts/audit-vectors.ts
 */
const SEED = Buffer.alloc(32, 0x27);
const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), SEED]), format: 'der', type: 'pkcs8' });
const keyring = new Keyring([{ kid: 'audit-vector', privateKey, publicKey: createPublicKey(privateKey), active: true }]);
const MAC_SECRET = Buffer.alloc(32, 0x0b);
const mac = new AuditMacKeys([{ kid: 'vector-mac', secret: MAC_SECRET }]);

const entries = [
  {
    id: 1,
    occurredAt: '2026-04-02T01:00:00.000Z',
    actor: 'officer:420106-SCJG-0001',
    role: 'officer',
    action: 'inspection.drafted',
    subjectType: 'inspection',
    subjectId: 'b7e0b7c4-8a35-4f0e-a7d5-3c1d0f4e9a21',
    agencyCode: '420106-SCJG',
    enterpriseCode: '91420106MA4K0000XX',
    districtCode: '420106',
    beforeState: null,
    afterState: 'draft',
    requestId: 'req-0001',
    payloadText: '{"note": "日常检查：食品经营许可", "inspectors": 2}',
  },
  {
    id: 2,
    occurredAt: '2026-04-02T01:05:00.000Z',
    actor: 'head:420106-SCJG',
    role: 'agency_head',
    action: 'inspection.approved',
    subjectType: 'inspection',
    subjectId: 'b7e0b7c4-8a35-4f0e-a7d5-3c1d0f4e9a21',
    agencyCode: '420106-SCJG',
    enterpriseCode: '91420106MA4K0000XX',
    districtCode: '420106',
    beforeState: 'draft',
    afterState: 'approved',
    requestId: null,
    payloadText: '{}',
  },
];
const formats = [2, 3] as const;
const sealedAt = '2026-04-02T01:05:00.250Z';

const segment: ExportedRow[] = [];
const lines: string[] = [];
let prev = GENESIS_HASH;
entries.forEach((e, i) => {
  const { payloadText, ...columns } = e;
  const sealed = mac.sign({ ...columns, payload: JSON.parse(payloadText) });
  const entry = { ...columns, payloadText, payloadHash: sha256Hex(payloadText), mac: sealed.mac, macKid: sealed.kid };
  const fields: ChainedFieldsV2 = { ...columns, payloadHash: entry.payloadHash, mac: sealed.mac, macKid: sealed.kid };
  const format = formats[i]!;
  const line = canonicalEntryV2(fields, e.occurredAt, sealedAt, format);
  const hash = chainHashOfCanonical(prev, line, format === 3 ? 'SM3' : 'SHA-256');
  segment.push({ seq: i + 1, format, prevHash: prev, hash, sealedAt, entry });
  lines.push(line);
  prev = hash;
});

const body = { seq: 1, chainSeq: 2, headHash: prev, signedAt: '2026-04-02T01:06:00.000Z', kid: 'audit-vector', macFrom: 1 };
const message = checkpointBytes(body).toString('utf8');
const checkpoint: Checkpoint = { ...body, alg: 'Ed25519', signature: keyring.signBytes(checkpointBytes(body)).signature };

const vectors = {
  published: { log: AUDIT_LOG_ID, keys: keyring.publicKeys(), checkpoints: [checkpoint] },
  segment,
  macKey: { kid: 'vector-mac', secret: MAC_SECRET.toString('base64url'), hex: MAC_SECRET.toString('hex') },
  // What src/audit/mac.ts MACs: the canonical JSON of the entry's columns, its payload parsed, and the key id.
  expected: { checkpointMessage: message, lines, macInputs: entries.map(({ payloadText, ...c }) => canonicalJson({ ...c, payload: JSON.parse(payloadText), macKid: 'vector-mac' })) },
};

writeFileSync(projectPath('docs', 'audit', 'vectors.json'), `${JSON.stringify(vectors, null, 2)}\n`);
console.log(message);
for (const l of lines) console.log(l);
