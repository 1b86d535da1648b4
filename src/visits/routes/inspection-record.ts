import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../auth/plugin.js';
import { readableInspection } from '../../evidence/evidence.js';
import { renderInspectionRecord } from '../../evidence/record-pdf.js';
import { findingsDigest, findRecordSignature, recordInput, signRecord, SIGNATURE_MAX_BASE64, type RecordSignature, type SignatureInput } from '../../evidence/record.js';
import { DomainError } from '../../errors/domain-error.js';
import { commandContext } from '../../http/context.js';
import { runIdempotent } from '../../http/idempotency.js';
import { responses, ShortText } from '../../http/schemas.js';
import { refusalSubjectOf } from '../../registry/refusal-subject.js';
import { Id } from '../schemas/inspection-schemas.js';

const Str = Type.String();
const READERS = ['officer', 'agency_head', 'supervisor', 'enterprise'] as const;

const SignatureBody = Type.Object(
  {
    signerName: ShortText('签名人姓名 / who signs', 50),
    signerRole: ShortText('签名人身份，如法定代表人、委托代理人、现场负责人 / in what capacity', 50),
    pngBase64: Type.String({ minLength: 8, maxLength: SIGNATURE_MAX_BASE64, description: '手写签名图像（PNG，Base64，不超过 512 KB）/ the drawn signature' }),
  },
  { additionalProperties: false },
);

const SignatureView = Type.Object({
  signerName: Str,
  signerRole: Str,
  signedAt: Str,
  signatureSha256: Type.String({ description: '签名图像的 SHA-256（已记入审计链）/ on the audit chain' }),
  findingsSha256: Type.String({ description: '签名时检查情况的摘要 / the findings signed' }),
  imageUrl: Str,
});

const RecordView = Type.Object({
  inspectionId: Str,
  findingsSha256: Str,
  signed: Type.Boolean(),
  signature: Type.Union([SignatureView, Type.Null()]),
  pdfUrl: Str,
});

function signatureView(s: RecordSignature) {
  return {
    signerName: s.signerName,
    signerRole: s.signerRole,
    signedAt: s.signedAt.toISOString(),
    signatureSha256: s.signatureSha256,
    findingsSha256: s.findingsSha256,
    imageUrl: `/api/v1/inspections/${s.inspectionId}/record/signature.png`,
  };
}

/** 现场检查笔录: made from the findings, signed on screen by the enterprise's representative (Art. 19). */
export const inspectionRecordRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/inspections/:id/record',
    { config: { access: READERS }, schema: { tags: ['inspections'], summary: '现场检查笔录的签名情况 / the record and its signature', params: Id, response: responses(RecordView) } },
    async (req) => {
      const i = await readableInspection(app.services.db, principalOf(req), req.params.id, app.services.clock.now());
      const s = await findRecordSignature(app.services.db, i.id);
      return { inspectionId: i.id, findingsSha256: findingsDigest(i), signed: Boolean(s), signature: s ? signatureView(s) : null, pdfUrl: `/api/v1/inspections/${i.id}/record.pdf` };
    },
  );

  app.post(
    '/inspections/:id/record/signature',
    {
      config: { idempotent: true, access: ['officer', 'agency_head'] },
      schema: {
        tags: ['inspections'],
        summary: '被检查单位代表在执法人员手机上签署现场检查笔录；签名图像及其 SHA-256 记入审计链；只能签一次 / the representative signs the record',
        params: Id,
        body: SignatureBody,
        response: responses(SignatureView, 201),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      const refusal = refusalSubjectOf(app.services.db, { subjectType: 'inspection', subjectId: req.params.id, agencyCode: actor.agency });
      const res = await runIdempotent(req, commandContext(req), refusal, 201, async (tx, scope) => signatureView(await signRecord(tx, scope, actor, req.params.id, req.body as SignatureInput)));
      return reply.status(res.status).header('idempotent-replayed', String(res.replayed)).send(res.body);
    },
  );

  app.get(
    '/inspections/:id/record/signature.png',
    {
      config: { access: READERS },
      schema: { tags: ['inspections'], summary: '笔录签名图像 / the signature image', params: Id, produces: ['image/png'], response: responses(Type.String({ description: 'PNG' })) },
    },
    async (req, reply) => {
      const i = await readableInspection(app.services.db, principalOf(req), req.params.id, app.services.clock.now());
      const s = await findRecordSignature(app.services.db, i.id);
      if (!s) throw DomainError.notFound('笔录签名', i.id);
      return reply.type('image/png').header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').header('x-content-sha256', s.signatureSha256).send(s.signaturePng);
    },
  );

  app.get(
    '/inspections/:id/record.pdf',
    {
      config: { access: READERS },
      schema: { tags: ['inspections'], summary: '现场检查笔录（PDF，已签名时含签名图像）/ the record as PDF', params: Id, produces: ['application/pdf'], response: responses(Type.Unknown({ description: 'binary' }), 200, [409]) },
    },
    async (req, reply) => {
      const i = await readableInspection(app.services.db, principalOf(req), req.params.id, app.services.clock.now());
      const pdf = await renderInspectionRecord(await recordInput(app.services.db, i));
      return reply.type('application/pdf').header('content-disposition', `inline; filename="record-${i.id}.pdf"`).send(pdf);
    },
  );
};

export default inspectionRecordRoutes;
