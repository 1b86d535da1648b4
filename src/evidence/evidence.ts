import { createHash, randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { INSPECTION_STATE_ZH, type InspectionState } from '../../machines/inspection.machine.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { auditEntries, inspectionEvidence, inspectionEvidenceFiles } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { assertMayRead, assertOwnAgency } from '../access/visits.js';
import { findInspection, type Inspection } from '../visits/repository.js';
import { readFileFacts } from './exif.js';
import { kindOf, sniffEvidenceType, type EvidenceType } from './media.js';
import { EVIDENCE_SETTING_NAMES } from './settings.js';

export type Evidence = typeof inspectionEvidence.$inferSelect;

/** What the officer's phone sends: the file, and — with the officer's consent — the device's own reading. */
export interface EvidenceInput {
  /** The type the client believes the file is; only checked against the bytes, never trusted. */
  contentType?: string;
  dataBase64: string;
  note?: string;
  device?: { capturedAt?: string; latitude?: number; longitude?: number; accuracyM?: number };
}

/**
 * Evidence is taken on site: from the code's issue (a case inspection from its start) until the result is
 * told. Before that nothing has happened to record; after it the record is closed.
 */
const ATTACHABLE: readonly InspectionState[] = ['code_issued', 'in_progress', 'findings_recorded', 'result_notified'];

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

/** The decoded file, refused by its real size and type (the setting EVIDENCE_MAX_BYTES; magic bytes). */
export function decodeEvidenceFile(input: Pick<EvidenceInput, 'contentType' | 'dataBase64'>, maxBytes: number): { data: Buffer; contentType: EvidenceType } {
  const text = input.dataBase64;
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) throw DomainError.field('body.dataBase64', '不是有效的 Base64 编码');
  const data = Buffer.from(text, 'base64');
  if (data.length > maxBytes) throw DomainError.field('body.dataBase64', `文件大小 ${mib(data.length)}，超过设置 ${EVIDENCE_SETTING_NAMES.maxBytes} 允许的 ${mib(maxBytes)}`, 'PAYLOAD_TOO_LARGE');
  const actual = sniffEvidenceType(data);
  if (!actual) throw DomainError.field('body.dataBase64', '仅接受 JPEG、PNG、WebP 照片或 MP4、MOV、WebM 视频（按文件内容判断）', 'UNSUPPORTED_MEDIA_TYPE');
  if (input.contentType !== undefined && input.contentType !== actual) {
    throw DomainError.field('body.contentType', `声明为 ${input.contentType}，文件内容实为 ${actual}`, 'UNSUPPORTED_MEDIA_TYPE');
  }
  return { data, contentType: actual };
}

export const sha256Hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// A phone's clock may run a little ahead of the server's; more than this is not a capture time.
const CLOCK_SKEW_MS = 5 * 60_000;

export async function attachEvidence(tx: Db, { at, audit }: CommandScope, actor: Principal, inspectionId: string, input: EvidenceInput, maxBytes: number): Promise<Evidence> {
  const i = await findInspection(tx, inspectionId, true);
  if (!i) throw DomainError.notFound('行政检查', inspectionId);
  assertOwnAgency(actor, i.agencyCode);
  const { data, contentType } = decodeEvidenceFile(input, maxBytes);
  if (!ATTACHABLE.includes(i.state as InspectionState)) {
    throw new DomainError('INVALID_TRANSITION', `该行政检查处于“${INSPECTION_STATE_ZH[i.state as InspectionState] ?? i.state}”状态，不能再添加现场取证材料；取证自获取检查码起至告知检查结果时止`, {
      currentState: i.state,
      allowedEvents: [],
    });
  }
  const device = input.device ?? {};
  const deviceAt = device.capturedAt !== undefined ? new Date(device.capturedAt) : undefined;
  if (deviceAt && deviceAt.getTime() > at.getTime() + CLOCK_SKEW_MS) throw DomainError.field('body.device.capturedAt', '拍摄时间不能晚于当前时间');
  if ((device.latitude === undefined) !== (device.longitude === undefined)) {
    throw DomainError.field(device.latitude === undefined ? 'body.device.latitude' : 'body.device.longitude', '经度和纬度须同时提供');
  }
  // The file's own record of time and place outranks the phone's reading at upload, which may come later.
  const file = await readFileFacts(data, contentType);
  const fileAt = file.capturedAt && file.capturedAt.getTime() <= at.getTime() + CLOCK_SKEW_MS ? file.capturedAt : undefined;
  const capturedAt = fileAt ?? deviceAt ?? null;
  const fromFileLocation = file.latitude !== undefined;
  const row: Evidence = {
    id: randomUUID(),
    inspectionId: i.id,
    kind: kindOf(contentType),
    contentType,
    bytes: data.length,
    sha256: sha256Hex(data),
    note: input.note ?? null,
    capturedAt,
    capturedAtSource: fileAt ? 'exif' : deviceAt ? 'device' : null,
    latitude: fromFileLocation ? file.latitude! : (device.latitude ?? null),
    longitude: fromFileLocation ? file.longitude! : (device.longitude ?? null),
    accuracyM: fromFileLocation ? null : (device.accuracyM ?? null),
    locationSource: fromFileLocation ? 'exif' : device.latitude !== undefined ? 'device' : null,
    createdBy: actor.sub,
    createdAt: at,
  };
  await tx.insert(inspectionEvidence).values(row);
  await tx.insert(inspectionEvidenceFiles).values({ evidenceId: row.id, data });
  await audit({
    action: 'evidence.attached',
    subjectType: 'inspection_evidence',
    subjectId: row.id,
    agencyCode: i.agencyCode,
    enterpriseCode: i.enterpriseCode,
    // The hash is on the chain: a file changed or swapped later no longer matches what was recorded here.
    payload: {
      inspectionId: i.id,
      kind: row.kind,
      contentType,
      bytes: row.bytes,
      sha256: row.sha256,
      capturedAt: capturedAt?.toISOString() ?? null,
      capturedAtSource: row.capturedAtSource,
      location: row.latitude !== null ? { latitude: row.latitude, longitude: row.longitude, accuracyM: row.accuracyM, source: row.locationSource } : null,
    },
  });
  return row;
}

/** The inspection, after checking the caller may see it (the same rule as the inspection itself). */
export async function readableInspection(db: Db, p: Principal, id: string, now: Date): Promise<Inspection> {
  const i = await findInspection(db, id);
  if (!i) throw DomainError.notFound('行政检查', id);
  await assertMayRead(db, p, i, now);
  return i;
}

export function listEvidence(db: Db, inspectionId: string): Promise<Evidence[]> {
  return db.select().from(inspectionEvidence).where(eq(inspectionEvidence.inspectionId, inspectionId)).orderBy(asc(inspectionEvidence.createdAt), asc(inspectionEvidence.id));
}

export async function findEvidence(db: Db, inspectionId: string, evidenceId: string): Promise<Evidence> {
  const [row] = await db.select().from(inspectionEvidence).where(and(eq(inspectionEvidence.id, evidenceId), eq(inspectionEvidence.inspectionId, inspectionId)));
  if (!row) throw DomainError.notFound('取证材料', evidenceId);
  return row;
}

export async function evidenceData(db: Db, evidenceId: string): Promise<Buffer> {
  const [row] = await db.select({ data: inspectionEvidenceFiles.data }).from(inspectionEvidenceFiles).where(eq(inspectionEvidenceFiles.evidenceId, evidenceId));
  if (!row) throw DomainError.notFound('取证材料', evidenceId);
  return row.data;
}

/** The check anyone who may see the inspection can run: stored bytes, the row and the audit chain agree. */
export interface EvidenceVerification {
  evidenceId: string;
  recordedSha256: string;
  storedSha256: string;
  auditEntryId: number | null;
  auditSha256: string | null;
  intact: boolean;
}

export async function verifyEvidence(db: Db, e: Evidence): Promise<EvidenceVerification> {
  const storedSha256 = sha256Hex(await evidenceData(db, e.id));
  const [entry] = await db
    .select({ id: auditEntries.id, payload: auditEntries.payload })
    .from(auditEntries)
    .where(and(eq(auditEntries.subjectType, 'inspection_evidence'), eq(auditEntries.subjectId, e.id), eq(auditEntries.action, 'evidence.attached')))
    .limit(1);
  const auditSha256 = typeof (entry?.payload as { sha256?: unknown } | undefined)?.sha256 === 'string' ? (entry!.payload as { sha256: string }).sha256 : null;
  return {
    evidenceId: e.id,
    recordedSha256: e.sha256,
    storedSha256,
    auditEntryId: entry?.id ?? null,
    auditSha256,
    intact: storedSha256 === e.sha256 && auditSha256 === e.sha256,
  };
}
