import { and, asc, eq } from 'drizzle-orm';
import { INSPECTION_STATE_ZH, type InspectionState } from '../../machines/inspection.machine.js';
import { canonicalJson } from '../audit/canonical.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { codeScans, inspectionCodes, inspectionRecordSignatures } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { assertOwnAgency } from '../access/visits.js';
import { KIND_ZH } from '../visits/documents.js';
import { outcomeKinds } from '../visits/outcome.js';
import type { FindingsInput } from '../visits/findings-input.js';
import { findInspection, type Inspection } from '../visits/repository.js';
import { ITEM_RESULT_ZH, METHOD_ZH } from '../visits/terms-zh.js';
import { OUTCOME_KIND_ZH as OUTCOME_ZH } from '../visits/outcome.js';
import { findAgency } from '../registry/agencies.repository.js';
import { findEnterprise } from '../registry/enterprises.repository.js';
import { publishedMatterOn } from '../registry/matters.repository.js';
import { sniffImageType } from '../supervision/photo.js';
import { sha256Hex, listEvidence } from './evidence.js';
import { EVIDENCE_KIND_ZH } from './media.js';
import { zhInstant, type RecordInput } from './record-pdf.js';

export type RecordSignature = typeof inspectionRecordSignatures.$inferSelect;

/** A signature drawn on a phone's canvas is a few KB to tens of KB as PNG; 512 KB leaves ample room. */
export const SIGNATURE_MAX_BYTES = 512 * 1024;
export const SIGNATURE_MAX_BASE64 = Math.ceil(SIGNATURE_MAX_BYTES / 3) * 4;

/** The record is made from the findings, so it exists once they are recorded; it is signed before the file is closed. */
const SIGNABLE: readonly InspectionState[] = ['findings_recorded', 'result_notified'];

export interface SignatureInput {
  signerName: string;
  /** e.g. 法定代表人, 委托代理人, 现场负责人 */
  signerRole: string;
  pngBase64: string;
}

/** The digest of the findings the record prints: a signature is tied to exactly these findings. */
export function findingsDigest(i: Inspection): string {
  return sha256Hex(Buffer.from(canonicalJson(i.findings ?? null), 'utf8'));
}

export async function findRecordSignature(db: Db, inspectionId: string): Promise<RecordSignature | undefined> {
  const [row] = await db.select().from(inspectionRecordSignatures).where(eq(inspectionRecordSignatures.inspectionId, inspectionId));
  return row;
}

/**
 * The enterprise's representative signs the record on the officer's phone. The image is kept as drawn (PNG,
 * checked by its bytes) with its SHA-256 and the digest of the findings it signed, both on the audit chain.
 * Signed once: a second signature is refused, the first stays the evidence.
 */
export async function signRecord(tx: Db, { at, audit }: CommandScope, actor: Principal, inspectionId: string, input: SignatureInput): Promise<RecordSignature> {
  const i = await findInspection(tx, inspectionId, true);
  if (!i) throw DomainError.notFound('行政检查', inspectionId);
  assertOwnAgency(actor, i.agencyCode);
  if (!SIGNABLE.includes(i.state as InspectionState)) {
    throw new DomainError('INVALID_TRANSITION', `该行政检查处于“${INSPECTION_STATE_ZH[i.state as InspectionState] ?? i.state}”状态；现场检查笔录须在记录检查情况后、结束检查前签名`, { currentState: i.state, allowedEvents: [] });
  }
  const text = input.pngBase64;
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw DomainError.field('body.pngBase64', '不是有效的 Base64 编码');
  const png = Buffer.from(text, 'base64');
  if (png.length > SIGNATURE_MAX_BYTES) throw DomainError.field('body.pngBase64', '签名图像不得超过 512 KB', 'PAYLOAD_TOO_LARGE');
  if (sniffImageType(png) !== 'image/png') throw DomainError.field('body.pngBase64', '签名图像须为 PNG（按文件内容判断）', 'UNSUPPORTED_MEDIA_TYPE');
  if (await findRecordSignature(tx, i.id)) throw new DomainError('ALREADY_EXISTS', '该现场检查笔录已经签名，不能重复签名');
  const row: RecordSignature = {
    inspectionId: i.id,
    signerName: input.signerName.trim(),
    signerRole: input.signerRole.trim(),
    signaturePng: png,
    signatureSha256: sha256Hex(png),
    findingsSha256: findingsDigest(i),
    signedBy: actor.sub,
    signedAt: at,
  };
  await tx.insert(inspectionRecordSignatures).values(row);
  await audit({
    action: 'record.signed',
    subjectType: 'inspection',
    subjectId: i.id,
    agencyCode: i.agencyCode,
    enterpriseCode: i.enterpriseCode,
    before: i.state,
    after: i.state,
    payload: { signerName: row.signerName, signerRole: row.signerRole, signatureSha256: row.signatureSha256, signatureBytes: png.length, findingsSha256: row.findingsSha256 },
  });
  return row;
}

async function firstScanAt(db: Db, inspectionId: string): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: codeScans.scannedAt })
    .from(codeScans)
    .innerJoin(inspectionCodes, eq(inspectionCodes.code, codeScans.code))
    .where(and(eq(inspectionCodes.inspectionId, inspectionId), eq(codeScans.accepted, true)))
    .orderBy(asc(codeScans.scannedAt))
    .limit(1);
  return row?.at;
}

/** Everything the record prints, read from the inspection, its findings, its evidence and its signature. */
export async function recordInput(db: Db, i: Inspection): Promise<RecordInput> {
  if (!i.findings || !i.findingsAt) throw new DomainError('INVALID_TRANSITION', '尚未记录检查情况，不能生成现场检查笔录', { currentState: i.state, allowedEvents: ['RECORD_FINDINGS'] });
  const f = i.findings as FindingsInput;
  const [agency, enterprise, evidence, signature, scannedAt] = await Promise.all([
    findAgency(db, i.agencyCode),
    findEnterprise(db, i.enterpriseCode),
    listEvidence(db, i.id),
    findRecordSignature(db, i.id),
    firstScanAt(db, i.id),
  ]);
  const matters = await Promise.all(i.matterCodes.map(async (m) => (await publishedMatterOn(db, i.agencyCode, m, i.countedDate))?.name ?? m));
  return {
    inspectionId: i.id,
    agencyName: agency?.name ?? i.agencyCode,
    enterpriseName: enterprise?.name ?? i.enterpriseCode,
    enterpriseCreditCode: i.enterpriseCode,
    enterpriseAddress: enterprise?.address ?? '',
    kindZh: KIND_ZH[i.kind] ?? i.kind,
    timeText: scannedAt ? `${zhInstant(scannedAt)}（扫码进入）至 ${zhInstant(i.findingsAt)}（记录检查情况）` : `${zhInstant(i.findingsAt)}（记录检查情况）`,
    inspectors: i.inspectors.map((p) => ({ name: p.name, certificateNo: p.certificateNo })),
    matters,
    methods: f.methods.map((m) => METHOD_ZH[m] ?? m),
    items: f.items.map((x) => ({ item: x.item, resultZh: ITEM_RESULT_ZH[x.result] ?? x.result, ...(x.note ? { note: x.note } : {}) })),
    // 第二十条: an inspection may call for several outcomes; the record states them as the enterprise reads them.
    outcome: { kindZh: (f.outcome as { summaryZh?: string }).summaryZh ?? outcomeKinds(f.outcome).map((k) => OUTCOME_ZH[k] ?? k).join('、'), ...(f.outcome.noticeNo ? { noticeNo: f.outcome.noticeNo } : {}), ...(f.outcome.dueDate ? { dueDate: f.outcome.dueDate } : {}) },
    evidence: evidence.map((e) => ({ kindZh: EVIDENCE_KIND_ZH[e.kind], capturedAtText: e.capturedAt ? zhInstant(e.capturedAt) : '时间不详', sha256: e.sha256 })),
    findingsSha256: findingsDigest(i),
    ...(signature
      ? { signature: { png: signature.signaturePng, signerName: signature.signerName, signerRole: signature.signerRole, signedAtText: zhInstant(signature.signedAt), sha256: signature.signatureSha256 } }
      : {}),
  };
}
