import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../auth/plugin.js';
import { DomainError } from '../../errors/domain-error.js';
import { CalendarDate, responses } from '../../http/schemas.js';
import { CSV_CONTENT_TYPE, csvBody } from '../../supervision/csv.js';
import { INSPECTION_CSV_HEADER, inspectionBatches, inspectionCsvRow } from '../../supervision/exports.js';

/** GET /inspections/export.csv: a period's inspections within the supervisor's jurisdiction (Art. 8, 24: 全过程可查询). */
export const inspectionExportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/inspections/export.csv',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['supervision'],
        summary: '导出某一期间（按计入日期）的行政检查（CSV，UTF-8 带 BOM）/ export a period’s inspections as CSV',
        querystring: Type.Object({ from: CalendarDate, to: CalendarDate }),
        produces: ['text/csv'],
        response: responses(Type.String({ description: 'CSV' })),
      },
    },
    async (req, reply) => {
      const { from, to } = req.query;
      if (from > to) throw DomainError.field('query.to', '结束日期早于开始日期');
      const rows = await csvBody(INSPECTION_CSV_HEADER, inspectionBatches(app.services.db, principalOf(req), { from, to }), inspectionCsvRow);
      return reply
        .type(CSV_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="inspections-${from}-${to}.csv"`)
        .header('cache-control', 'no-store')
        .send(rows);
    },
  );
};

export default inspectionExportRoutes;
