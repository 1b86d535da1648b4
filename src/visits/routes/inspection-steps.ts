import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import { principalOf } from '../../auth/plugin.js';
import { runCommand } from '../../commands/command.js';
import { commandContext } from '../../http/context.js';
import { CalendarDate, responses, ShortText } from '../../http/schemas.js';
import { recordFindings, type FindingsInput } from '../commands/findings.js';
import { mergeInspection } from '../commands/merge.js';
import { approveSpec, archiveSpec, cancelSpec, closeSpec, notifySpec, returnSpec, startSpec, stepInspection, type StepSpec } from '../commands/lifecycle.js';
import { inspectionRefusalSubject } from '../refusal-subject.js';
import type { Inspection } from '../repository.js';
import { ItemResult, Methods, OutcomeFields } from '../schemas/outcome-schema.js';
import { Id, InspectionView, inspectionView } from '../schemas/inspection-schemas.js';

const Findings = Type.Object(
  {
    methods: Methods('第十九条检查方式 / methods used (Art. 19)'),
    items: Type.Array(
      Type.Object(
        {
          item: ShortText('检查项目 / item', 200),
          result: ItemResult,
          note: Type.Optional(Type.String({ maxLength: 1000 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    outcome: Type.Object(OutcomeFields, { additionalProperties: false }),
    sampling: Type.Optional(
      Type.Object(
        {
          samples: Type.Integer({ minimum: 1, maximum: 1000 }),
          costBorneBy: Type.Union([Type.Literal('agency'), Type.Literal('enterprise')], { description: '第二十二条：费用由行政执法主体支付' }),
          amountYuan: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000_000 })),
          product: Type.Optional(ShortText('检测的产品 / product tested (第四十条第（七）项)', 200)),
          batch: Type.Optional(ShortText('产品批次 / batch tested (第四十条第（七）项)', 100)),
          repeatOfEarlierTest: Type.Optional(Type.Boolean({ description: '第四十条第（七）项：是否重复检测' })),
        },
        { additionalProperties: false },
      ),
    ),
    outOfJurisdiction: Type.Optional(
      Type.Array(Type.Object({ description: ShortText('违法行为 / violation', 1000), competentAgencyCode: Type.String({ minLength: 2, maxLength: 64 }), foundOn: Type.Optional(CalendarDate) }, { additionalProperties: false }), { maxItems: 20 }),
    ),
  },
  { additionalProperties: false },
);

const refusalSubject = (req: FastifyRequest, id: string) => () => inspectionRefusalSubject(req.server.services.db, id);

export const inspectionStepRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** A plain state step: POST /inspections/:id/<name> with an optional body. */
  function step<B extends TSchema>(name: string, summary: string, body: B, spec: (req: FastifyRequest, body: Static<B>) => StepSpec, roles: ('officer' | 'agency_head')[] = ['officer', 'agency_head']) {
    app.post(
      `/inspections/:id/${name}`,
      { config: { access: roles }, schema: { tags: ['inspections'], summary, params: Id, body, response: responses(InspectionView) } },
      async (req) => {
        const { id } = req.params as { id: string };
        const out: Inspection = await runCommand(commandContext(req), refusalSubject(req, id), (tx, scope) =>
          stepInspection(tx, scope, principalOf(req), id, spec(req, req.body as Static<B>), app.services.inspectionHooks),
        );
        return inspectionView(out);
      },
    );
  }

  const Note = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
  step('approve', '负责人批准检查方案（第十七条第（一）项）/ the agency head approves the scheme', Note, (req, b) => approveSpec(principalOf(req), b.note), ['agency_head']);
  step(
    'return',
    '负责人退回检查方案并说明理由，方案仍为草稿，由制定人修改（第十七条第（一）项）/ the head returns a draft for correction',
    Type.Object({ reason: ShortText('退回理由 / reason', 500) }, { additionalProperties: false }),
    (req, b) => returnSpec(principalOf(req), b.reason),
    ['agency_head'],
  );
  step('start', '开始个案现场检查（无需检查码）/ start an on-site case inspection', Note, () => startSpec());
  step(
    'notify-result',
    '将检查结果告知企业（第十八条第（五）项）/ notify the enterprise of the result',
    Type.Object({ method: Type.Union([Type.Literal('written'), Type.Literal('electronic'), Type.Literal('on_site')]), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
    (_req, b) => notifySpec(b.method, b.note),
  );
  step('close', '结束检查 / close the inspection', Note, () => closeSpec());
  step('archive', '归档（第二十五条）/ archive documents and evidence', Type.Object({ archiveRef: ShortText('档案号 / archive reference', 100) }, { additionalProperties: false }), (_req, b) => archiveSpec(b.archiveRef));
  step('cancel', '取消检查（检查码随即撤销）/ cancel; any code is revoked at once', Type.Object({ reason: ShortText('理由 / reason', 500) }, { additionalProperties: false }), (req, b) => cancelSpec(principalOf(req), b.reason));

  app.post(
    '/inspections/:id/findings',
    {
      config: { access: ['officer', 'agency_head'] },
      schema: {
        tags: ['inspections'],
        summary: '记录检查情况与处理结果（第十八至二十三条）/ record findings and the outcome',
        params: Id,
        body: Findings,
        response: responses(Type.Object({ inspection: InspectionView, flags: Type.Array(Type.String(), { description: '本次记录触发的违规标记 / flags raised' }) })),
      },
    },
    async (req) => {
      const out = await runCommand(commandContext(req), refusalSubject(req, req.params.id), (tx, scope) =>
        recordFindings(tx, scope, principalOf(req), req.params.id, req.body as FindingsInput, app.services.inspectionHooks, app.services.config.resultsRecognisedDays),
      );
      return { inspection: inspectionView(out.inspection), flags: out.flags };
    },
  );

  app.post(
    '/inspections/:id/merge',
    {
      config: { access: ['officer', 'agency_head'] },
      schema: {
        tags: ['inspections'],
        summary: '个案检查并入尚未执行的计划检查（第十三条）/ merge a case inspection into a pending planned task',
        params: Id,
        body: Type.Object({ into: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: responses(InspectionView),
      },
    },
    async (req) => inspectionView(await runCommand(commandContext(req), refusalSubject(req, req.params.id), (tx, scope) => mergeInspection(tx, scope, principalOf(req), req.params.id, req.body.into, app.services.inspectionHooks))),
  );
};

export default inspectionStepRoutes;
