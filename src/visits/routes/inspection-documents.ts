import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../auth/plugin.js';
import { renderInspectionNotice } from '../../codes/notice-pdf.js';
import { qrPng, qrSvg } from '../../codes/qr.js';
import { DomainError } from '../../errors/domain-error.js';
import { responses } from '../../http/schemas.js';
import { assertMayRead } from '../../access/visits.js';
import { activeCodeOf, codeCheckUrl, noticeInput } from '../documents.js';
import { findInspection } from '../repository.js';
import { Id } from '../schemas/inspection-schemas.js';
import { Type } from 'typebox';

const READERS = ['officer', 'agency_head', 'supervisor', 'enterprise'] as const;
const Binary = Type.Unknown({ description: 'binary' });

export const inspectionDocumentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function load(req: { params: { id: string } } & Parameters<typeof principalOf>[0]) {
    const { db } = app.services;
    const i = await findInspection(db, req.params.id);
    if (!i) throw DomainError.notFound('行政检查', req.params.id);
    await assertMayRead(db, principalOf(req), i, app.services.clock.now());
    return { i, code: await activeCodeOf(db, i) };
  }

  app.get(
    '/inspections/:id/code.png',
    { config: { access: READERS }, schema: { tags: ['codes'], summary: '检查码二维码（PNG）/ QR code as PNG', params: Id, produces: ['image/png'], response: responses(Binary, 200, [409]) } },
    async (req, reply) => {
      const { code } = await load(req);
      return reply.type('image/png').send(await qrPng(codeCheckUrl(app.services.config.publicBaseUrl, code)));
    },
  );

  app.get(
    '/inspections/:id/code.svg',
    { config: { access: READERS }, schema: { tags: ['codes'], summary: '检查码二维码（SVG）/ QR code as SVG', params: Id, produces: ['image/svg+xml'], response: responses(Binary, 200, [409]) } },
    async (req, reply) => {
      const { code } = await load(req);
      return reply.type('image/svg+xml; charset=utf-8').send(await qrSvg(codeCheckUrl(app.services.config.publicBaseUrl, code)));
    },
  );

  app.get(
    '/inspections/:id/notice.pdf',
    {
      config: { access: READERS },
      schema: { tags: ['codes'], summary: '行政检查通知书（PDF，含二维码）/ the inspection notice with its QR code', params: Id, produces: ['application/pdf'], response: responses(Binary, 200, [409]) },
    },
    async (req, reply) => {
      const { i, code } = await load(req);
      const pdf = await renderInspectionNotice(await noticeInput(app.services.db, i, code, app.services.config.publicBaseUrl, code.issuedAt));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="notice-${code.code}.pdf"`)
        .send(pdf);
    },
  );
};

export default inspectionDocumentRoutes;
