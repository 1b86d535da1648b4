import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../auth/plugin.js';
import { noticeDocumentNo, renderInspectionNotice } from '../../../codes/notice-pdf.js';
import { runCommand } from '../../../commands/command.js';
import { DomainError } from '../../../errors/domain-error.js';
import { commandContext } from '../../../http/context.js';
import { CalendarDate, CreditCode, OpenObject, responses, ShortText } from '../../../http/schemas.js';
import { codeCheckUrl, complaintContactsOf, KIND_ZH, shanghaiYear, windowText } from '../../documents.js';
import { findCode } from '../../repository.js';
import { renderJointChecklist } from '../checklist-pdf.js';
import type { JointFindingsInput } from '../findings-split.js';
import { checklistView, enterpriseNames, listTitle, loadTaskDetail } from '../task-read.js';
import { cancelJointTask, closeJointVisit, notifyJointResult, recordJointFindings, resolveEnterprise } from '../task-visits.js';
import { findEnterprise } from '../../../registry/enterprises.repository.js';
import { publishedMatterOn } from '../../../registry/matters.repository.js';
import { ItemResult, Methods, OutcomeFields } from '../../schemas/outcome-schema.js';
import { IdParams, JointTaskView, jointTaskView } from '../schemas/joint-schemas.js';
import { jointTaskRefusalSubject } from '../refusal-subject.js';

const Outcome = OutcomeFields;

const Findings = Type.Object(
  {
    enterpriseCode: Type.Optional(CreditCode),
    methods: Methods('第十九条检查方式 / methods used'),
    items: Type.Array(
      Type.Object(
        {
          line: Type.Integer({ minimum: 1, maximum: 1000, description: '综合检查表单的行号 / line of the combined checklist' }),
          result: ItemResult,
          note: Type.Optional(Type.String({ maxLength: 1000 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000, description: '逐项检查结果（一表通查）/ one result per line' },
    ),
    outcomes: Type.Array(Type.Object({ agencyCode: Type.String({ minLength: 2, maxLength: 64 }), ...Outcome }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 10,
      description: '各参与单位依其检查项目作出的处理结果 / each unit’s outcome from its own items',
    }),
    outOfJurisdiction: Type.Optional(
      Type.Array(
        Type.Object(
          {
            line: Type.Integer({ minimum: 1, maximum: 1000 }),
            agencyCode: Type.String({ minLength: 2, maxLength: 64, description: '发现该问题的单位（须为该行所服务的单位）/ the unit recording it' }),
            description: ShortText('违法行为 / violation', 1000),
            competentAgencyCode: Type.String({ minLength: 2, maxLength: 64, description: '有管辖权的单位（第二十三条）/ competent agency' }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
  },
  { additionalProperties: false },
);

const Line = Type.Object({
  line: Type.Integer(),
  text: Type.String(),
  standard: Type.String(),
  serves: Type.Array(Type.Object({ agencyCode: Type.String(), matterCode: Type.String() })),
  agencyNames: Type.Optional(Type.Array(Type.String())),
  result: Type.Union([Type.String(), Type.Null()]),
  note: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

const Checklist = Type.Object({
  taskId: Type.String(),
  listId: Type.String(),
  listVersion: Type.Integer(),
  entryCode: Type.String(),
  entryName: Type.String(),
  content: Type.String(),
  basis: Type.String(),
  enterpriseCode: Type.Union([Type.String(), Type.Null()]),
  units: Type.Array(Type.Object({ agencyCode: Type.String(), agencyName: Type.String(), role: Type.String(), state: Type.String() })),
  lines: Type.Array(Line),
  itemsBeforeMerge: Type.Integer({ description: '合并前各单位检查项目数 / items before merging' }),
});

const EnterpriseQuery = Type.Object({ enterprise: Type.Optional(CreditCode) });
const Binary = Type.Unknown({ description: 'binary' });
const Officer = ['officer', 'agency_head'] as const;

/** A joint visit after its code: 一表通查 findings, one notification, close; the checklist as JSON and PDF. */
export const jointTaskVisitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const view = async (req: Parameters<typeof principalOf>[0], id: string) => jointTaskView(await loadTaskDetail(app.services.db, principalOf(req), id), principalOf(req));

  app.post(
    '/joint-tasks/:id/findings',
    {
      config: { access: [...Officer] },
      schema: {
        tags: ['joint'],
        summary: '按综合检查表单逐项记录检查结果，各单位处理结果依其检查项目作出（第二十、三十条）/ per-item results and each unit’s outcome',
        params: IdParams,
        body: Findings,
        response: responses(
          Type.Object({
            enterpriseCode: Type.String(),
            lines: Type.Array(Line),
            outcomes: Type.Array(Type.Object({ agencyCode: Type.String(), outcome: OpenObject('该单位的处理结论（第二十条）/ the unit’s Art. 20 outcome'), violations: Type.Integer() })),
            flags: Type.Array(Type.String()),
          }),
        ),
      },
    },
    async (req) => runCommand(commandContext(req), await jointTaskRefusalSubject(app.services.db, req.params.id), (tx, scope) => recordJointFindings(tx, scope, principalOf(req), req.params.id, req.body as JointFindingsInput)),
  );

  app.post(
    '/joint-tasks/:id/notify-result',
    {
      config: { access: [...Officer] },
      schema: {
        tags: ['joint'],
        summary: '一次性将各单位检查结果告知企业（第十八条第（五）项）/ notify the enterprise once, listing every unit’s result',
        params: IdParams,
        body: Type.Object(
          { enterpriseCode: Type.Optional(CreditCode), method: Type.Union([Type.Literal('written'), Type.Literal('electronic'), Type.Literal('on_site')]), note: Type.Optional(Type.String({ maxLength: 1000 })) },
          { additionalProperties: false },
        ),
        response: responses(
          Type.Object({
            enterpriseCode: Type.String(),
            method: Type.String(),
            note: Type.Union([Type.String(), Type.Null()]),
            notifiedAt: Type.String(),
            results: Type.Array(
              Type.Object({
                agencyCode: Type.String(),
                agencyName: Type.String(),
                outcome: Type.String(),
                outcomeZh: Type.String(),
                noticeNo: Type.Union([Type.String(), Type.Null()]),
                dueDate: Type.Union([Type.String(), Type.Null()]),
                violations: Type.Array(Type.String()),
              }),
            ),
          }),
        ),
      },
    },
    async (req) => runCommand(commandContext(req), await jointTaskRefusalSubject(app.services.db, req.params.id), (tx, scope) => notifyJointResult(tx, scope, principalOf(req), req.params.id, req.body)),
  );

  app.post(
    '/joint-tasks/:id/close',
    {
      config: { access: [...Officer] },
      schema: { tags: ['joint'], summary: '结束一次联合检查；全部结束后任务结束 / close a visit; the task closes with its last visit', params: IdParams, body: Type.Object({ enterpriseCode: Type.Optional(CreditCode) }, { additionalProperties: false }), response: responses(JointTaskView) },
    },
    async (req) => {
      await runCommand(commandContext(req), await jointTaskRefusalSubject(app.services.db, req.params.id), (tx, scope) => closeJointVisit(tx, scope, principalOf(req), req.params.id, req.body));
      return view(req, req.params.id);
    },
  );

  app.post(
    '/joint-tasks/:id/cancel',
    {
      config: { access: ['agency_head'] },
      schema: { tags: ['joint'], summary: '发起单位负责人取消任务（检查码随即撤销）/ cancel; live codes are revoked', params: IdParams, body: Type.Object({ reason: ShortText('理由 / reason', 500) }, { additionalProperties: false }), response: responses(JointTaskView) },
    },
    async (req) => {
      await runCommand(commandContext(req), await jointTaskRefusalSubject(app.services.db, req.params.id), (tx, scope) => cancelJointTask(tx, scope, principalOf(req), req.params.id, req.body.reason));
      return view(req, req.params.id);
    },
  );

  app.get(
    '/joint-tasks/:id/checklist',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: { tags: ['joint'], summary: '综合检查表单（一表通查，第三十条）/ the combined checklist', params: IdParams, querystring: EnterpriseQuery, response: responses(Checklist) },
    },
    async (req) => checklistView(await loadTaskDetail(app.services.db, principalOf(req), req.params.id), req.query.enterprise),
  );

  app.get(
    '/joint-tasks/:id/checklist.pdf',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: { tags: ['joint'], summary: '综合检查表单（PDF，可打印）/ the combined checklist, printable', params: IdParams, querystring: EnterpriseQuery, produces: ['application/pdf'], response: responses(Binary) },
    },
    async (req, reply) => {
      const db = app.services.db;
      const d = await loadTaskDetail(db, principalOf(req), req.params.id);
      const c = checklistView(d, req.query.enterprise);
      const enterprises = c.enterpriseCode ? [c.enterpriseCode] : d.task.enterpriseCodes;
      const pdf = await renderJointChecklist({
        title: '“综合查一次”综合检查表单',
        listTitle: await listTitle(db, d.task),
        entryName: c.entryName,
        content: c.content,
        basis: c.basis,
        leadName: d.names.get(d.task.leadAgencyCode)!,
        cooperatingNames: d.units.filter((u) => u.role === 'cooperating' && u.state !== 'declined').map((u) => d.names.get(u.agencyCode)!),
        enterpriseNames: await enterpriseNames(db, enterprises),
        windowText: windowText(d.task.windowStart, d.task.windowEnd),
        codes: d.visits.filter((v) => enterprises.includes(v.enterpriseCode) && v.code).map((v) => v.code!),
        lines: c.lines.map((l) => ({ line: l.line, text: l.text, standard: l.standard, units: l.agencyNames, result: l.result })),
      });
      return reply.type('application/pdf').header('content-disposition', `inline; filename="joint-checklist-${d.task.id}.pdf"`).send(pdf);
    },
  );

  app.get(
    '/joint-tasks/:id/notice.pdf',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: { tags: ['joint', 'codes'], summary: '联合检查的行政检查通知书（列明全部单位、事项和人员）/ the joint visit’s inspection notice', params: IdParams, querystring: EnterpriseQuery, produces: ['application/pdf'], response: responses(Binary) },
    },
    async (req, reply) => {
      const db = app.services.db;
      const d = await loadTaskDetail(db, principalOf(req), req.params.id);
      const enterpriseCode = resolveEnterprise(d.task, req.query.enterprise);
      const visit = d.visits.find((v) => v.enterpriseCode === enterpriseCode)!;
      const code = visit.code ? await findCode(db, visit.code) : undefined;
      if (!code) throw new DomainError('INVALID_TRANSITION', '该次联合检查尚未获取检查码', { currentState: d.task.state, allowedEvents: ['ISSUE_CODE'] });
      const lead = d.parts.find((p) => p.part.enterpriseCode === enterpriseCode && p.part.role === 'lead')!.inspection;
      const enterprise = await findEnterprise(db, enterpriseCode);
      const taking = d.units.filter((u) => u.state === 'approved');
      const matters = [];
      for (const u of taking) {
        for (const m of u.matterCodes) {
          const pub = await publishedMatterOn(db, u.agencyCode, m, d.task.countedDate);
          matters.push({ name: `${pub?.name ?? m}（${d.names.get(u.agencyCode)}）`, legalBasis: pub?.legalBasis ?? '' });
        }
      }
      const pdf = await renderInspectionNotice({
        agencyNames: taking.map((u) => d.names.get(u.agencyCode)!),
        enterpriseName: enterprise?.name ?? enterpriseCode,
        enterpriseCreditCode: enterpriseCode,
        enterpriseAddress: enterprise?.address ?? '',
        matters,
        kind: KIND_ZH.joint!,
        windowText: windowText(code.validFrom, code.validTo),
        inspectors: lead.inspectors.map((p) => ({ name: p.name, certificateNo: p.certificateNo })),
        code: code.code,
        checkUrl: codeCheckUrl(app.services.config.publicBaseUrl, code),
        issuedAt: windowText(code.issuedAt, code.issuedAt).split(' ')[0]!,
        documentNo: noticeDocumentNo(code.code, shanghaiYear(code.issuedAt)),
        complaintContacts: await complaintContactsOf(db, taking.map((u) => u.agencyCode)),
      });
      return reply.type('application/pdf').header('content-disposition', `inline; filename="notice-${code.code}.pdf"`).send(pdf);
    },
  );
};

export default jointTaskVisitRoutes;
