import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { FLAG_STATE_ZH, type FlagState } from '../../machines/flag.machine.js';
import { principalOf } from '../auth/plugin.js';
import { commandContext } from '../http/context.js';
import { runIdempotent } from '../http/idempotency.js';
import { AgencyCode, CalendarDate, CreditCode, Page, responses, Uuid } from '../http/schemas.js';
import { ruleDef, type RuleId } from '../rules/catalog.js';
import { caseVisitsByIds, type CaseVisit } from './case-visits.js';
import { fileEnterpriseReport, PROHIBITIONS, type ReportInput } from './enterprise-report.js';
import { flagsOnSubjects } from './flags.repository.js';
import { PHOTO_MAX_BASE64, PHOTO_TYPES } from './photo.js';
import { listReports, readableReport, reportPhoto, type NamedReport } from './reports.repository.js';
import { DomainError } from '../errors/domain-error.js';
import { refusalSubjectOf } from '../registry/refusal-subject.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();

const ProhibitionSchema = Type.Union(
  Object.keys(PROHIBITIONS).map((k) => Type.Literal(k)),
  {
    description:
      '第四十条禁止行为：legal_rep_required 刻意要求法定代表人到场 (LEGAL_REP_REQUIRED) | gifts_or_meals 馈赠宴请 (PROFIT_SEEKING) | ' +
      'designated_intermediary 指定中介 (PROFIT_SEEKING) | costs_shifted 费用转嫁 (COST_SHIFTED) | repeated_testing 对同一产品或批次重复检测 (REPEATED_TESTING) | ' +
      'disguised_label 以观摩、督导、考察等名义检查 (DISGUISED_INSPECTION)',
  },
);

const ReportBody = Type.Object(
  {
    visitedAt: Type.String({ format: 'date-time', description: '检查时间 / when the visit happened' }),
    agencyText: Type.Optional(Type.String({ maxLength: 200, description: '检查人员自称的单位（自由填写）/ the agency as the visitors named it' })),
    agencyCode: Type.Optional(AgencyCode),
    description: Type.String({ minLength: 1, maxLength: 4000, description: '经过 / what happened' }),
    codeShown: Type.Optional(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9-]*$', description: '出示的检查码（如有）/ the code shown, if any' })),
    photo: Type.Optional(
      Type.Object(
        {
          contentType: Type.Union(PHOTO_TYPES.map((t) => Type.Literal(t)), { description: '图片类型 / image type' }),
          dataBase64: Type.String({ minLength: 1, maxLength: PHOTO_MAX_BASE64, description: '通知书照片，Base64，不超过 2 MB / photo of the notice, base64, ≤ 2 MB' }),
        },
        { additionalProperties: false },
      ),
    ),
    prohibitions: Type.Optional(Type.Array(ProhibitionSchema, { maxItems: 6, uniqueItems: true })),
  },
  { additionalProperties: false },
);

const ReportFlag = Type.Object({ id: Str, rule: Str, ruleTitleZh: Str, article: Str, state: Str, stateZh: Str });

const ReportView = Type.Object({
  id: Str,
  enterpriseCode: Str,
  enterpriseName: Nullable(Str),
  districtCode: Str,
  visitedAt: Str,
  agencyText: Nullable(Str),
  agencyCode: Nullable(Str),
  agencyName: Nullable(Str),
  description: Str,
  codeShown: Nullable(Str),
  prohibitions: Type.Array(Str),
  authorised: Type.Boolean({ description: '当时是否有针对本企业的有效检查码 / a valid code covered the visit' }),
  validCode: Nullable(Str),
  caseInspection: Nullable(
    Type.Object(
      {
        inspectionId: Str,
        kind: Str,
        kindZh: Str,
        leadKind: Nullable(Str),
        leadKindZh: Nullable(Str),
        agencyCode: Str,
        agencyName: Nullable(Str),
        windowStart: Str,
        windowEnd: Str,
      },
      { description: '覆盖该次到访的已登记个案检查（无需检查码，第十七条；不含投诉举报人等线索信息）/ the recorded case inspection covering the visit' },
    ),
  ),
  photo: Nullable(Type.Object({ contentType: Str, bytes: Type.Integer(), sha256: Str, url: Str })),
  createdAt: Str,
  flags: Type.Array(ReportFlag, { description: '本报告引发的违规标记 / flags the report raised' }),
  notesZh: Type.Optional(Type.Array(Str, { description: '提交时的说明，如勾选的禁止行为为何未作标记 / why a ticked prohibition raised no flag (on filing only)' })),
});

type ReportFlagRow = { id: string; rule: string; article: string; state: string };

function reportView({ report: r, agencyName, enterpriseName }: NamedReport, flags: ReportFlagRow[], cases: Map<string, CaseVisit>) {
  return {
    id: r.id,
    enterpriseCode: r.enterpriseCode,
    enterpriseName,
    districtCode: r.districtCode,
    visitedAt: r.visitedAt.toISOString(),
    agencyText: r.agencyText,
    agencyCode: r.agencyCode,
    agencyName,
    description: r.description,
    codeShown: r.codeShown,
    prohibitions: r.prohibitions,
    authorised: r.validCode !== null,
    validCode: r.validCode,
    caseInspection: r.caseInspectionId ? (cases.get(r.caseInspectionId) ?? null) : null,
    photo: r.photoContentType ? { contentType: r.photoContentType, bytes: r.photoBytes ?? 0, sha256: r.photoSha256 ?? '', url: `/api/v1/enterprise-reports/${r.id}/photo` } : null,
    createdAt: r.createdAt.toISOString(),
    // The enterprise sees which rules its report raised and where the review stands, never the review notes.
    flags: flags.map((f) => ({ id: f.id, rule: f.rule, ruleTitleZh: ruleDef(f.rule as RuleId)?.titleZh ?? f.rule, article: f.article, state: f.state, stateZh: FLAG_STATE_ZH[f.state as FlagState] })),
  };
}

// A 2 MB photo is ~2.8 MB of base64 inside the JSON; every other route keeps the app's 1 MiB limit.
const REPORT_BODY_LIMIT = 3 * 1024 * 1024;

/** 企业报告 (Art. 40): enterprises report visits; supervisors read them within their jurisdiction. */
export const enterpriseReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/enterprise-reports',
    {
      config: { idempotent: true, access: ['enterprise'] },
      bodyLimit: REPORT_BODY_LIMIT,
      schema: {
        tags: ['supervision'],
        summary: '企业报告一次检查（第四十条）：无有效检查码或有禁止行为即标记；支持 Idempotency-Key / an enterprise reports a visit; flags follow',
        body: ReportBody,
        response: responses(ReportView, 201),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      const res = await runIdempotent(req, commandContext(req), refusalSubjectOf(app.services.db, { subjectType: 'enterprise', subjectId: actor.creditCode ?? '', enterpriseCode: actor.creditCode }), 201, async (tx, scope) => {
        const out = await fileEnterpriseReport(tx, scope, actor, req.body as ReportInput, app.services.config.reports);
        const flags = (await flagsOnSubjects(tx, 'enterprise_report', [out.report.id])).get(out.report.id) ?? [];
        const named = await readableReport(tx, actor, out.report.id);
        const view = reportView(named, flags, await caseVisitsByIds(tx, [out.report.caseInspectionId]));
        return out.notesZh.length ? { ...view, notesZh: out.notesZh } : view;
      });
      return reply.status(res.status).header('idempotent-replayed', String(res.replayed)).send(res.body);
    },
  );

  app.get(
    '/enterprise-reports',
    {
      config: { access: ['enterprise', 'supervisor'] },
      schema: {
        tags: ['supervision'],
        summary: '企业报告列表：企业仅见本企业，监督人员见本辖区；x-total-count 为总数 / reports: an enterprise its own, a supervisor the jurisdiction',
        querystring: Type.Object({ enterprise: Type.Optional(CreditCode), agency: Type.Optional(AgencyCode), from: Type.Optional(CalendarDate), to: Type.Optional(CalendarDate), ...Page }),
        response: responses(Type.Array(ReportView)),
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const { limit, offset, ...filter } = req.query;
      if (p.role === 'enterprise' && filter.enterprise && filter.enterprise !== p.creditCode) throw new DomainError('OUT_OF_SCOPE', '企业只能查看本企业的报告');
      const { rows, total } = await listReports(app.services.db, p, filter, { limit, offset });
      const flags = await flagsOnSubjects(app.services.db, 'enterprise_report', rows.map((r) => r.report.id), p);
      const cases = await caseVisitsByIds(app.services.db, rows.map((r) => r.report.caseInspectionId));
      return reply.header('x-total-count', String(total)).send(rows.map((r) => reportView(r, flags.get(r.report.id) ?? [], cases)));
    },
  );

  app.get(
    '/enterprise-reports/:id',
    {
      config: { access: ['enterprise', 'supervisor'] },
      schema: { tags: ['supervision'], summary: '一份企业报告 / one report', params: Type.Object({ id: Uuid }), response: responses(ReportView) },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await readableReport(app.services.db, p, req.params.id);
      const flags = await flagsOnSubjects(app.services.db, 'enterprise_report', [row.report.id], p);
      return reportView(row, flags.get(row.report.id) ?? [], await caseVisitsByIds(app.services.db, [row.report.caseInspectionId]));
    },
  );

  app.get(
    '/enterprise-reports/:id/photo',
    {
      config: { access: ['enterprise', 'supervisor'] },
      schema: {
        tags: ['supervision'],
        summary: '报告所附通知书照片 / the photo attached to a report',
        params: Type.Object({ id: Uuid }),
        produces: [...PHOTO_TYPES],
        response: responses(Type.String({ description: 'JPEG / PNG / WebP' })),
      },
    },
    async (req, reply) => {
      const { report } = await readableReport(app.services.db, principalOf(req), req.params.id);
      const data = report.photoContentType ? await reportPhoto(app.services.db, report.id) : undefined;
      if (!data) throw DomainError.notFound('报告照片', req.params.id);
      return reply
        .type(report.photoContentType!)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .header('cache-control', 'private, no-store')
        .send(data);
    },
  );
};

export default enterpriseReportRoutes;
