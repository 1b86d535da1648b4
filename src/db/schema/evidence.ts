import { customType, doublePrecision, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { inspections } from './inspections.js';

/** bytea as a Buffer on both drivers (pg returns a Buffer, PGlite a Uint8Array). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
  toDriver: (v) => v,
});

/**
 * 现场取证 (Art. 19: the officers record the inspection; photos and short videos taken on the phone). One row
 * per file: what it is (by its magic bytes), its SHA-256 (also on the audit chain), and when and where it was
 * taken — from the file's EXIF when it has one (`source` exif), otherwise from the device as the officer's
 * phone reported it (`source` device). The bytes live in `inspection_evidence_files`, so lists never load them.
 */
export const inspectionEvidence = pgTable(
  'inspection_evidence',
  {
    id: uuid('id').primaryKey(),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    kind: text('kind', { enum: ['photo', 'video'] }).notNull(),
    contentType: text('content_type').notNull(),
    bytes: integer('bytes').notNull(),
    sha256: text('sha256').notNull(),
    note: text('note'),
    capturedAt: timestamp('captured_at', { withTimezone: true }),
    capturedAtSource: text('captured_at_source', { enum: ['exif', 'device'] }),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    accuracyM: doublePrecision('accuracy_m'),
    locationSource: text('location_source', { enum: ['exif', 'device'] }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('inspection_evidence_inspection_idx').on(t.inspectionId, t.createdAt)],
);

export const inspectionEvidenceFiles = pgTable('inspection_evidence_files', {
  evidenceId: uuid('evidence_id')
    .primaryKey()
    .references(() => inspectionEvidence.id),
  data: bytea('data').notNull(),
});

/**
 * 现场检查笔录 signed on screen by the enterprise's representative: who signed, the signature image (PNG)
 * and its SHA-256 (on the audit chain), and the SHA-256 of the findings the record was made from, so a
 * record signed before the findings changed can be told apart. One signature per inspection: a second
 * signing is refused, the first stays the evidence.
 */
export const inspectionRecordSignatures = pgTable('inspection_record_signatures', {
  inspectionId: uuid('inspection_id')
    .primaryKey()
    .references(() => inspections.id),
  signerName: text('signer_name').notNull(),
  signerRole: text('signer_role').notNull(),
  signaturePng: bytea('signature_png').notNull(),
  signatureSha256: text('signature_sha256').notNull(),
  findingsSha256: text('findings_sha256').notNull(),
  signedBy: text('signed_by').notNull(),
  signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
});
