import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../auth/plugin.js';
import { attachEvidence, evidenceData, findEvidence, listEvidence, readableInspection, verifyEvidence, type Evidence, type EvidenceInput } from '../../evidence/evidence.js';
import { EVIDENCE_KIND_ZH, EVIDENCE_TYPES } from '../../evidence/media.js';
import { commandContext } from '../../http/context.js';
import { runIdempotent } from '../../http/idempotency.js';
import { Instant, responses, Uuid } from '../../http/schemas.js';
import { refusalSubjectOf } from '../../registry/refusal-subject.js';
import { Id } from '../schemas/inspection-schemas.js';

const Str = Type.String();
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const EvidenceBody = Type.Object(
  {
    contentType: Type.Optional(Type.String({ maxLength: 100, description: '客户端认为的文件类型；仅与文件内容核对，以内容为准 / the type the client believes; checked against the bytes' })),
    dataBase64: Type.String({ minLength: 1, description: '照片或短视频，Base64；大小上限为设置 EVIDENCE_MAX_BYTES / the file, base64; size limited by EVIDENCE_MAX_BYTES' }),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: '说明 / what it shows' })),
    device: Type.Optional(
      Type.Object(
        {
          capturedAt: Type.Optional(Instant),
          latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
          longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
          accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
        },
        { additionalProperties: false, description: '经执法人员同意后由设备读取的时间与位置；文件自带 EXIF 时以 EXIF 为准 / the device reading, used when the file has no EXIF' },
      ),
    ),
  },
  { additionalProperties: false },
);

const Source = Nullable(Type.Union([Type.Literal('exif'), Type.Literal('device')]));
const EvidenceView = Type.Object({
  id: Str,
  inspectionId: Str,
  kind: Type.Union([Type.Literal('photo'), Type.Literal('video')]),
  kindZh: Str,
  contentType: Str,
  bytes: Type.Integer(),
  sha256: Type.String({ description: '文件的 SHA-256（已记入审计链）/ the file’s SHA-256, on the audit chain' }),
  note: Nullable(Str),
  capturedAt: Nullable(Str),
  capturedAtSource: Source,
  location: Nullable(Type.Object({ latitude: Type.Number(), longitude: Type.Number(), accuracyM: Nullable(Type.Number()), source: Source })),
  createdAt: Str,
  url: Str,
});

const Verification = Type.Object({
  evidenceId: Str,
  recordedSha256: Str,
  storedSha256: Type.String({ description: '按现存文件重新计算的 SHA-256 / recomputed from the stored bytes' }),
  auditEntryId: Nullable(Type.Integer()),
  auditSha256: Nullable(Type.String({ description: '审计链记录的 SHA-256 / the hash the audit entry recorded' })),
  intact: Type.Boolean({ description: '三者一致 / all three agree' }),
});

function evidenceView(e: Evidence) {
  return {
    id: e.id,
    inspectionId: e.inspectionId,
    kind: e.kind,
    kindZh: EVIDENCE_KIND_ZH[e.kind],
    contentType: e.contentType,
    bytes: e.bytes,
    sha256: e.sha256,
    note: e.note,
    capturedAt: e.capturedAt?.toISOString() ?? null,
    capturedAtSource: e.capturedAtSource,
    location: e.latitude !== null && e.longitude !== null ? { latitude: e.latitude, longitude: e.longitude, accuracyM: e.accuracyM, source: e.locationSource } : null,
    createdAt: e.createdAt.toISOString(),
    url: `/api/v1/inspections/${e.inspectionId}/evidence/${e.id}/file`,
  };
}

const READERS = ['officer', 'agency_head', 'supervisor', 'enterprise'] as const;
const EvidenceParams = Type.Object({ id: Uuid, evidenceId: Uuid });

/** 现场取证: photos and short videos attached on site, hashed on the audit chain, served to the inspection's readers. */
export const inspectionEvidenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { maxBytes } = app.services.config.evidence;
  app.post(
    '/inspections/:id/evidence',
    {
      config: { idempotent: true, access: ['officer', 'agency_head'] },
      // The file travels as base64 inside JSON (a third larger), plus room for the other members.
      bodyLimit: Math.ceil(maxBytes / 3) * 4 + 64 * 1024,
      schema: {
        tags: ['inspections'],
        summary: '添加现场取证照片或短视频：按文件内容判断类型，大小受设置 EVIDENCE_MAX_BYTES 限制，SHA-256 记入审计链；支持 Idempotency-Key / attach a photo or short video',
        params: Id,
        body: EvidenceBody,
        response: responses(EvidenceView, 201),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      const refusal = refusalSubjectOf(app.services.db, { subjectType: 'inspection', subjectId: req.params.id, agencyCode: actor.agency });
      const res = await runIdempotent(req, commandContext(req), refusal, 201, async (tx, scope) =>
        evidenceView(await attachEvidence(tx, scope, actor, req.params.id, req.body as EvidenceInput, maxBytes)),
      );
      return reply.status(res.status).header('idempotent-replayed', String(res.replayed)).send(res.body);
    },
  );

  app.get(
    '/inspections/:id/evidence',
    { config: { access: READERS }, schema: { tags: ['inspections'], summary: '现场取证材料列表 / the evidence of an inspection', params: Id, response: responses(Type.Array(EvidenceView)) } },
    async (req) => {
      const i = await readableInspection(app.services.db, principalOf(req), req.params.id, app.services.clock.now());
      return (await listEvidence(app.services.db, i.id)).map(evidenceView);
    },
  );

  app.get(
    '/inspections/:id/evidence/:evidenceId/file',
    {
      config: { access: READERS },
      schema: {
        tags: ['inspections'],
        summary: '下载取证文件；x-content-sha256 为其记录的哈希 / download one file',
        params: EvidenceParams,
        produces: [...EVIDENCE_TYPES],
        response: responses(Type.String({ description: 'JPEG / PNG / WebP / MP4 / MOV / WebM' })),
      },
    },
    async (req, reply) => {
      const i = await readableInspection(app.services.db, principalOf(req), req.params.id, app.services.clock.now());
      const e = await findEvidence(app.services.db, i.id, req.params.evidenceId);
      return reply
        .type(e.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .header('cache-control', 'private, no-store')
        .header('x-content-sha256', e.sha256)
        .send(await evidenceData(app.services.db, e.id));
    },
  );

  app.get(
    '/inspections/:id/evidence/:evidenceId/verify',
    {
      config: { access: READERS },
      schema: {
        tags: ['inspections'],
        summary: '核验取证文件：现存文件、登记哈希与审计链记录是否一致 / check a file against its recorded hash',
        params: EvidenceParams,
        response: responses(Verification),
      },
    },
    async (req) => {
      const i = await readableInspection(app.services.db, principalOf(req), req.params.id, app.services.clock.now());
      return verifyEvidence(app.services.db, await findEvidence(app.services.db, i.id, req.params.evidenceId));
    },
  );
};

export default inspectionEvidenceRoutes;
