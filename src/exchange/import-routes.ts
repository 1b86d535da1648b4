import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import { runCommand } from '../commands/command.js';
import { DomainError } from '../errors/domain-error.js';
import { activeClientOf } from './clients.repository.js';
import { decodeBatch, MAX_BATCH_ROWS, parseCsv, parseNdjson } from './import-parse.js';
import { importInspections } from './imports.js';
import { commandContext } from '../http/context.js';
import { RAW_BODY_KEY, type RawBody } from '../http/openapi.js';
import { responses } from '../http/schemas.js';

const NDJSON = 'application/x-ndjson';
const CSV = 'text/csv';

const RowReport = Type.Object({
  line: Type.Integer({ description: '行号 / line of the batch' }),
  sourceId: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('created'), Type.Literal('corrected'), Type.Literal('unchanged'), Type.Literal('refused')], {
    description: 'created 新增 | corrected 更正（新版本）| unchanged 重复报送，未变 | refused 退回',
  }),
  inspectionId: Type.Optional(Type.String()),
  sourceVersion: Type.Optional(Type.Integer()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  flags: Type.Optional(Type.Array(Type.String())),
  parts: Type.Optional(
    Type.Array(
      Type.Object({
        agencyCode: Type.String(),
        inspectionId: Type.String(),
        status: Type.Union([Type.Literal('created'), Type.Literal('corrected'), Type.Literal('unchanged')]),
      }),
      { description: '“综合查一次”协同单位的检查记录 / a joint visit’s cooperating parts (Art. 26, 29)' },
    ),
  ),
});

const Report = Type.Object({
  batchId: Type.String(),
  sourceSystem: Type.String(),
  received: Type.Integer(),
  created: Type.Integer(),
  corrected: Type.Integer(),
  unchanged: Type.Integer(),
  refused: Type.Integer(),
  rows: Type.Array(RowReport),
});

/** Batches from upper-level platforms (批量报送, Art. 24, 29): NDJSON or CSV, reported row by row. */
export const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Encapsulated: only this plugin's routes read these bodies as text.
  // As bytes: each line is decoded on its own, so bytes that are not UTF-8 spoil only their row (decodeBatch).
  app.addContentTypeParser([NDJSON, CSV], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post(
    '/imports/inspections',
    {
      config: { access: ['platform'] },
      schema: {
        tags: ['exchange'],
        summary: '批量报送检查记录及“综合查一次”联合检查（application/x-ndjson 或 text/csv）：有效行入库，无效行逐行说明原因 / import inspections and joint visits; valid rows applied, invalid rows reported',
        response: responses(Report),
        [RAW_BODY_KEY]: {
          mediaTypes: [NDJSON, CSV],
          description: '每行一个 JSON 对象（application/x-ndjson），或首行为字段名的 CSV 表格（text/csv，UTF-8；matterCodes 以分号分隔）/ one JSON object a line, or CSV with a header line',
        } satisfies RawBody,
      },
    },
    async (req) => {
      const actor = principalOf(req);
      const client = await activeClientOf(app.services.db, actor);
      if (client.importAgencies.length === 0) throw new DomainError('OUT_OF_SCOPE', `${client.name}未获准报送检查记录`);
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!Buffer.isBuffer(req.body) || (type !== NDJSON && type !== CSV)) {
        throw new DomainError('UNSUPPORTED_MEDIA_TYPE', '批量报送须为每行一个对象的数据行，或带表头的 CSV 表格');
      }
      const batch = decodeBatch(req.body);
      const rows = type === CSV ? parseCsv(batch) : parseNdjson(batch);
      if (rows.length === 0) throw DomainError.field('body', '批次中没有数据行');
      if (rows.length > MAX_BATCH_ROWS) throw DomainError.field('body', `一个批次至多 ${MAX_BATCH_ROWS} 行，请分批报送`);
      return runCommand(commandContext(req), { subjectType: 'platform_client', subjectId: client.id }, (tx, scope) => importInspections(tx, scope, actor, client, rows));
    },
  );
};

export default importRoutes;
