import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FlagEvent } from '../../machines/flag.machine.js';
import { principalOf } from '../auth/plugin.js';
import { runCommand } from '../commands/command.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { CalendarDate, Page, responses, Uuid } from '../http/schemas.js';
import { findAgency } from '../registry/agencies.repository.js';
import { RULES } from '../rules/catalog.js';
import { CSV_CONTENT_TYPE, csvBody } from './csv.js';
import { reviewFlag } from './flag-review.js';
import { FLAG_CSV_HEADER, flagCsvRow } from './exports.js';
import { countFlags, findFlag, findNamedFlag, flagAuditEntries, flagBatches, listFlags, type FlagFilter } from './flags.repository.js';
import { assertFlagWithinJurisdiction } from './flag-scope.js';
import { AuditEntryView, auditEntryView, FlagQuery, FlagView, flagView } from './flag-schemas.js';
import { refusalSubjectOf } from '../registry/refusal-subject.js';

const IdParams = Type.Object({ id: Uuid });
const RULE_IDS = new Set<string>(RULES.map((r) => r.id));

/** Filters a supervisor may combine; a rule id not in the catalogue or a reversed period is a 400 naming the field. */
export function checkFlagFilter(q: FlagFilter): FlagFilter {
  if (q.rule && !RULE_IDS.has(q.rule)) throw DomainError.field('query.rule', `规则 ${q.rule} 不在规则目录中，请查阅规则目录`);
  if (q.from && q.to && q.from > q.to) throw DomainError.field('query.to', '结束日期早于开始日期');
  return q;
}

/**
 * 违规标记登记簿 (the violation register, Art. 6, 8, 40): every flag from every rule, for the justice
 * bureau's supervisors within their jurisdiction, with the review steps open → acknowledged →
 * resolved / dismissed.
 */
export const flagRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/flags',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['supervision'],
        summary: '违规标记登记簿（区级监督人员仅见本辖区）；响应头 x-total-count 为总数 / the violation register within the jurisdiction; x-total-count gives the total',
        querystring: Type.Object({ ...FlagQuery, ...Page }),
        response: responses(Type.Array(FlagView)),
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const { limit, offset, ...filter } = req.query;
      const f = checkFlagFilter(filter);
      const [rows, total] = await Promise.all([listFlags(app.services.db, p, f, { limit, offset }), countFlags(app.services.db, p, f)]);
      return reply.header('x-total-count', String(total)).send(rows.map(flagView));
    },
  );

  app.get(
    '/flags/export.csv',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['supervision'],
        summary: '导出某一期间的违规标记（CSV，UTF-8 带 BOM，Excel 可直接打开）/ export a period’s flags as CSV',
        querystring: Type.Object({ ...FlagQuery, from: CalendarDate, to: CalendarDate }),
        produces: ['text/csv'],
        response: responses(Type.String({ description: 'CSV' })),
      },
    },
    async (req, reply) => {
      const f = checkFlagFilter(req.query);
      const rows = await csvBody(FLAG_CSV_HEADER, flagBatches(app.services.db, principalOf(req), f), flagCsvRow);
      return reply
        .type(CSV_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="flags-${f.from}-${f.to}.csv"`)
        .header('cache-control', 'no-store')
        .send(rows);
    },
  );

  app.get(
    '/flags/:id',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['supervision'],
        summary: '违规标记详情及其审计记录 / one flag with the audit entries that show it',
        params: IdParams,
        response: responses(Type.Object({ flag: FlagView, audit: Type.Array(AuditEntryView) })),
      },
    },
    async (req) => {
      const { db } = app.services;
      const row = await findNamedFlag(db, req.params.id);
      if (!row) throw DomainError.notFound('违规标记', req.params.id);
      const agency = row.flag.agencyCode ? await findAgency(db, row.flag.agencyCode) : undefined;
      assertFlagWithinJurisdiction(principalOf(req), row.flag, agency);
      const audit = await flagAuditEntries(db, row.flag);
      return { flag: flagView(row), audit: audit.map(auditEntryView) };
    },
  );

  const review = (name: string, summary: string, needsNote: boolean, event: (note: string) => FlagEvent) =>
    app.post(
      `/flags/:id/${name}`,
      {
        config: { access: ['supervisor'] },
        schema: {
          tags: ['supervision'],
          summary,
          params: IdParams,
          body: Type.Object(
            { note: needsNote ? Type.String({ minLength: 1, maxLength: 2000, description: '说明 / note (required)' }) : Type.Optional(Type.String({ maxLength: 2000, description: '说明 / note' })) },
            { additionalProperties: false },
          ),
          response: responses(FlagView),
        },
      },
      async (req) => {
        const { id } = req.params as { id: string };
        const note = (req.body as { note?: string } | undefined)?.note;
        const refusal = refusalSubjectOf(app.services.db, async () => {
          const f = await findFlag(app.services.db, id);
          return f ? { subjectType: 'flag', subjectId: id, agencyCode: f.agencyCode, enterpriseCode: f.enterpriseCode, districtCode: f.districtCode } : null;
        });
        const out = await runCommand(commandContext(req), refusal, (tx, scope) => reviewFlag(tx, scope, principalOf(req), id, event(note ?? ''), note));
        const named = await findNamedFlag(app.services.db, out.id);
        return flagView(named!);
      },
    );

  review('acknowledge', '确认违规标记（审阅）/ acknowledge a flag', false, () => ({ type: 'ACKNOWLEDGE' }));
  review('resolve', '办结违规标记，须说明整改情况 / resolve a flag, with a note', true, (note) => ({ type: 'RESOLVE', note }));
  review('dismiss', '不予认定，须说明理由 / dismiss a flag, with the reason', true, (note) => ({ type: 'DISMISS', note }));
};

export default flagRoutes;
