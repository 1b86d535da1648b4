import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PERSON_ROLES } from '../auth/principal.js';
import { runCommand } from '../commands/command.js';
import { isUniqueViolation } from '../db/errors.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { AgencyCode, DistrictCode, responses, ShortText } from '../http/schemas.js';
import { findAgency, insertAgency, listAgencies, updateAgency, type Agency as AgencyRow } from './agencies.repository.js';
import { checkAgencyFacts } from './agency-input.js';
import { refusalSubjectOf } from './refusal-subject.js';

const Kind = Type.Union([Type.Literal('organ'), Type.Literal('authorised'), Type.Literal('entrusted')], {
  description: '第三条：organ 行政机关 | authorised 法律法规授权组织 | entrusted 受委托组织',
});
const Level = Type.Union([Type.Literal('city'), Type.Literal('district')], { description: 'city 市级 | district 区级' });
const Domains = Type.Array(Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_]+$' }), {
  maxItems: 50,
  uniqueItems: true,
  description: '法定职责范围（领域） / statutory domains, Art. 3',
});

const VerticallyManaged = Type.Boolean({
  description: '是否实行垂直管理（第十三条第二款：其专项检查计划由上级主管部门批准） / vertically managed: its special plans are approved by its upper authority',
});

const StateAssetSupervisor = Type.Boolean({
  description: '是否为国有资产监督管理机构（第二条第二款：国资监管关系须由其声明，登记信息据此核验） / a state-asset supervision body: only it may declare SOE supervision (Art. 2 ¶2)',
});

const Agency = Type.Object({
  code: AgencyCode,
  name: Type.String(),
  kind: Kind,
  level: Level,
  districtCode: Type.Union([Type.String(), Type.Null()]),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  isJusticeBureau: Type.Boolean({ description: '是否为司法行政部门 / is a justice bureau' }),
  verticallyManaged: VerticallyManaged,
  stateAssetSupervisor: StateAssetSupervisor,
  domains: Type.Array(Type.String()),
  active: Type.Boolean({ description: '在用；停用后其人员令牌即失效 / active; when false its staff tokens stop working' }),
  complaintContact: Type.Union([Type.String(), Type.Null()], { description: '投诉举报渠道（印在行政检查通知书上）/ complaint contact printed on the notice' }),
  createdAt: Type.String({ format: 'date-time' }),
});
const ComplaintContact = ShortText('投诉举报渠道：电话、地址或网址 / complaint contact', 200);

const CreateAgency = Type.Object(
  {
    code: AgencyCode,
    name: ShortText('名称 / name', 100),
    kind: Kind,
    level: Level,
    districtCode: Type.Optional(DistrictCode),
    parentCode: Type.Optional(AgencyCode),
    isJusticeBureau: Type.Boolean({ default: false }),
    verticallyManaged: Type.Boolean({ default: false, description: '是否实行垂直管理 / vertically managed (Art. 13 ¶2)' }),
    stateAssetSupervisor: Type.Optional(StateAssetSupervisor),
    domains: Domains,
    complaintContact: Type.Optional(ComplaintContact),
  },
  { additionalProperties: false },
);

const PatchAgency = Type.Object(
  {
    name: Type.Optional(ShortText('名称 / name', 100)),
    parentCode: Type.Optional(AgencyCode),
    verticallyManaged: Type.Optional(VerticallyManaged),
    stateAssetSupervisor: Type.Optional(StateAssetSupervisor),
    domains: Type.Optional(Domains),
    active: Type.Optional(Type.Boolean({ description: '停用（撤销、合并）或恢复 / deactivate (dissolved, merged) or reactivate' })),
    complaintContact: Type.Optional(ComplaintContact),
  },
  { additionalProperties: false, minProperties: 1 },
);

const view = (a: AgencyRow) => ({ ...a, createdAt: a.createdAt.toISOString() });

export const agencyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/agencies',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['registry'],
        summary: '行政执法主体 / agencies',
        querystring: Type.Object({
          level: Type.Optional(Level),
          district: Type.Optional(DistrictCode),
          justiceBureau: Type.Optional(Type.Boolean()),
        }),
        response: responses(Type.Array(Agency)),
      },
    },
    async (req) => (await listAgencies(app.services.db, req.query)).map(view),
  );

  app.get(
    '/agencies/:code',
    {
      config: { access: PERSON_ROLES },
      schema: { tags: ['registry'], summary: '行政执法主体详情 / one agency', params: Type.Object({ code: AgencyCode }), response: responses(Agency) },
    },
    async (req) => {
      const agency = await findAgency(app.services.db, req.params.code);
      if (!agency) throw DomainError.notFound('行政执法主体', req.params.code);
      return view(agency);
    },
  );

  app.post(
    '/agencies',
    {
      config: { access: ['admin'] },
      schema: { tags: ['registry'], summary: '登记行政执法主体 / register an agency', body: CreateAgency, response: responses(Agency, 201) },
    },
    async (req, reply) => {
      const body = req.body;
      const created = await runCommand(commandContext(req), refusalSubjectOf(req.server.services.db, { subjectType: 'agency', subjectId: body.code, agencyCode: body.code, districtCode: body.districtCode }), async (tx, { at, audit }) => {
        await checkAgencyFacts(tx, body);
        let row: AgencyRow;
        try {
          row = await insertAgency(tx, { ...body, districtCode: body.districtCode ?? null, parentCode: body.parentCode ?? null, createdAt: at });
        } catch (err) {
          if (isUniqueViolation(err)) throw new DomainError('ALREADY_EXISTS', `行政执法主体 ${body.code} 已存在`);
          throw err;
        }
        await audit({
          action: 'agency.created',
          subjectType: 'agency',
          subjectId: row.code,
          agencyCode: row.code,
          districtCode: row.districtCode,
          payload: body,
        });
        return row;
      });
      app.services.principals.invalidate();
      return reply.status(201).send(view(created));
    },
  );

  app.patch(
    '/agencies/:code',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['registry'],
        summary: '修改行政执法主体 / update an agency',
        params: Type.Object({ code: AgencyCode }),
        body: PatchAgency,
        response: responses(Agency),
      },
    },
    async (req) => {
      const { code } = req.params;
      const updated = await runCommand(commandContext(req), refusalSubjectOf(req.server.services.db, { subjectType: 'agency', subjectId: code, agencyCode: code }), async (tx, { audit }) => {
        const current = await findAgency(tx, code);
        if (!current) throw DomainError.notFound('行政执法主体', code);
        await checkAgencyFacts(tx, { ...current, ...req.body });
        const row = (await updateAgency(tx, code, req.body))!;
        await audit({
          action: 'agency.updated',
          subjectType: 'agency',
          subjectId: code,
          agencyCode: code,
          districtCode: row.districtCode,
          payload: { before: view(current), patch: req.body },
        });
        return row;
      });
      // This instance forgets its cached principals now; the others on the commit's notification.
      app.services.principals.invalidate();
      return view(updated);
    },
  );
};

export default agencyRoutes;
