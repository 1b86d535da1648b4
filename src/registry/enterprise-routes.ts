import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Principal } from '../auth/principal.js';
import { principalOf } from '../auth/plugin.js';
import { PERSON_ROLES } from '../auth/principal.js';
import { runCommand } from '../commands/command.js';
import { isUniqueViolation } from '../db/errors.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { CreditCode, DistrictCode, Page, responses, ShortText } from '../http/schemas.js';
import { checkCreditCode } from './credit-code.js';
import { findDistrict } from './districts.repository.js';
import { ENTITY_TYPE_KEYS, ENTITY_TYPES, entityTypeContradiction, scopeOf, type EntityType } from './entity-scope.js';
import {
  findEnterprise,
  insertEnterprise,
  listEnterprises,
  updateEnterprise,
  type Enterprise as EnterpriseRow,
} from './enterprises.repository.js';
import type { Db } from '../db/client.js';
import { refusalSubjectOf } from './refusal-subject.js';

const EntityTypeSchema = Type.Union(
  ENTITY_TYPE_KEYS.map((k) => Type.Literal(k)),
  { description: `主体类型 / entity type: ${ENTITY_TYPE_KEYS.map((k) => `${k} ${ENTITY_TYPES[k].zh}`).join('; ')}` },
);
const Scope = Type.Union([Type.Literal('in_scope'), Type.Literal('by_reference'), Type.Literal('out_of_scope')], {
  description: '第二、四、四十二条适用范围：in_scope 适用 | by_reference 参照执行 | out_of_scope 不适用',
});
const RiskClass = Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Literal('C'), Type.Literal('D')], {
  description: '风险/信用等级，A 为最低风险 / risk-credit class, A lowest risk',
});

const PremisesDistricts = Type.Array(DistrictCode, { maxItems: 50, uniqueItems: true, description: '登记地以外设有经营场所的行政区代码（第十二条）/ districts of other business premises' });

const Enterprise = Type.Object({
  creditCode: Type.String(),
  name: Type.String(),
  districtCode: Type.String(),
  address: Type.String(),
  premisesDistrictCodes: Type.Array(Type.String(), { description: '登记地以外设有经营场所的行政区（第十二条）/ districts of other business premises' }),
  entityType: Type.String(),
  entityTypeZh: Type.String(),
  scope: Scope,
  riskClass: Type.Union([RiskClass, Type.Null()]),
  industryCode: Type.Union([Type.String(), Type.Null()], { description: '国民经济行业分类（GB/T 4754）代码 / industry code' }),
  licenceKinds: Type.Array(Type.String(), { description: '持有的许可证种类 / licence kinds held' }),
  latitude: Type.Union([Type.Number(), Type.Null()], { description: '登记经营场所纬度（WGS-84）/ premises latitude' }),
  longitude: Type.Union([Type.Number(), Type.Null()], { description: '登记经营场所经度（WGS-84）/ premises longitude' }),
  createdAt: Type.String({ format: 'date-time' }),
});
const IndustryCode = Type.String({ pattern: '^[A-T][0-9]{2,4}$', description: '国民经济行业分类（GB/T 4754）代码，如 H6210 / industry code' });
const LicenceKinds = Type.Array(Type.String({ pattern: '^[a-z_]{1,64}$' }), { maxItems: 20, uniqueItems: true, description: '持有的许可证种类，如 food_business / licence kinds held' });
const Latitude = Type.Number({ minimum: -90, maximum: 90, description: '登记经营场所纬度（WGS-84），用于扫码位置核对 / premises latitude' });
const Longitude = Type.Number({ minimum: -180, maximum: 180, description: '登记经营场所经度（WGS-84）/ premises longitude' });

const view = (e: EnterpriseRow) => ({
  ...e,
  entityTypeZh: ENTITY_TYPES[e.entityType as EntityType]?.zh ?? e.entityType,
  createdAt: e.createdAt.toISOString(),
});

/** An enterprise sees its own record only (DESIGN.md: never another enterprise's data). */
function assertMayRead(p: Principal, creditCode: string): void {
  if (p.role === 'enterprise' && p.creditCode !== creditCode) {
    throw new DomainError('OUT_OF_SCOPE', '企业只能查看本企业的信息');
  }
}

function assertCreditCode(code: string, field = 'body.creditCode'): void {
  const check = checkCreditCode(code);
  if (!check.valid) {
    throw new DomainError('CREDIT_CODE_INVALID', `统一社会信用代码 ${code} 无效：${check.reason}`, {
      errors: [{ field, message: check.reason }],
    });
  }
}

/** GB 32100: the declared entity type must be one the credit code's authority and category characters allow. */
function assertEntityType(type: EntityType, creditCode: string): void {
  const contradiction = entityTypeContradiction(type, creditCode);
  if (contradiction) throw DomainError.field('body.entityType', contradiction);
}

async function assertDistrict(db: Db, code: string, field = 'body.districtCode'): Promise<void> {
  if (!(await findDistrict(db, code))) throw DomainError.field(field, `行政区 ${code} 不存在`, 'REFERENCE_INVALID');
}

export const enterpriseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/enterprises',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['registry'],
        summary: '企业名录（企业只能看到本企业）/ enterprises (an enterprise sees only itself)',
        querystring: Type.Object({
          district: Type.Optional(DistrictCode),
          scope: Type.Optional(Scope),
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '名称或代码关键字 / name or code contains' })),
          ...Page,
        }),
        response: responses(Type.Array(Enterprise)),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const own = p.role === 'enterprise' ? p.creditCode : undefined;
      return (await listEnterprises(app.services.db, { ...req.query, creditCode: own })).map(view);
    },
  );

  app.get(
    '/enterprises/:creditCode',
    {
      config: { access: PERSON_ROLES },
      schema: { tags: ['registry'], summary: '企业详情 / one enterprise', params: Type.Object({ creditCode: CreditCode }), response: responses(Enterprise) },
    },
    async (req) => {
      const { creditCode } = req.params;
      assertCreditCode(creditCode, 'params.creditCode');
      assertMayRead(principalOf(req), creditCode);
      const row = await findEnterprise(app.services.db, creditCode);
      if (!row) throw DomainError.notFound('企业', creditCode);
      return view(row);
    },
  );

  app.post(
    '/enterprises',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['registry'],
        summary: '登记企业（校验统一社会信用代码，按主体类型判定适用范围）/ register an enterprise',
        body: Type.Object(
          {
            creditCode: CreditCode,
            name: ShortText('名称 / name', 100),
            districtCode: DistrictCode,
            address: ShortText('地址 / address', 200),
            premisesDistrictCodes: Type.Optional(PremisesDistricts),
            entityType: EntityTypeSchema,
            riskClass: Type.Optional(RiskClass),
            industryCode: Type.Optional(IndustryCode),
            licenceKinds: Type.Optional(LicenceKinds),
            latitude: Type.Optional(Latitude),
            longitude: Type.Optional(Longitude),
          },
          { additionalProperties: false },
        ),
        response: responses(Enterprise, 201),
      },
    },
    async (req, reply) => {
      const body = req.body;
      assertCreditCode(body.creditCode);
      assertEntityType(body.entityType, body.creditCode);
      if ((body.latitude === undefined) !== (body.longitude === undefined)) throw DomainError.field(body.latitude === undefined ? 'body.latitude' : 'body.longitude', '经度和纬度须同时填写');
      const created = await runCommand(commandContext(req), { subjectType: 'enterprise', subjectId: body.creditCode, enterpriseCode: body.creditCode, districtCode: body.districtCode }, async (tx, { at, audit }) => {
        await assertDistrict(tx, body.districtCode);
        for (const [k, d] of (body.premisesDistrictCodes ?? []).entries()) await assertDistrict(tx, d, `body.premisesDistrictCodes[${k}]`);
        let row: EnterpriseRow;
        try {
          row = await insertEnterprise(tx, { ...body, riskClass: body.riskClass ?? null, scope: scopeOf(body.entityType), createdAt: at });
        } catch (err) {
          if (isUniqueViolation(err)) throw new DomainError('ALREADY_EXISTS', `企业 ${body.creditCode} 已登记`);
          throw err;
        }
        await audit({
          action: 'enterprise.created',
          subjectType: 'enterprise',
          subjectId: row.creditCode,
          enterpriseCode: row.creditCode,
          districtCode: row.districtCode,
          payload: { ...body, scope: row.scope },
        });
        return row;
      });
      app.services.principals.invalidate();
      return reply.status(201).send(view(created));
    },
  );

  app.patch(
    '/enterprises/:creditCode',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['registry'],
        summary: '修改企业信息 / update an enterprise',
        params: Type.Object({ creditCode: CreditCode }),
        body: Type.Object(
          {
            name: Type.Optional(ShortText('名称 / name', 100)),
            districtCode: Type.Optional(DistrictCode),
            address: Type.Optional(ShortText('地址 / address', 200)),
            premisesDistrictCodes: Type.Optional(PremisesDistricts),
            entityType: Type.Optional(EntityTypeSchema),
            riskClass: Type.Optional(Type.Union([RiskClass, Type.Null()])),
            industryCode: Type.Optional(Type.Union([IndustryCode, Type.Null()])),
            licenceKinds: Type.Optional(LicenceKinds),
            latitude: Type.Optional(Type.Union([Latitude, Type.Null()])),
            longitude: Type.Optional(Type.Union([Longitude, Type.Null()])),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: responses(Enterprise),
      },
    },
    async (req) => {
      const { creditCode } = req.params;
      assertCreditCode(creditCode, 'params.creditCode');
      if (req.body.entityType) assertEntityType(req.body.entityType, creditCode);
      const updated = await runCommand(commandContext(req), refusalSubjectOf(req.server.services.db, { subjectType: 'enterprise', subjectId: creditCode, enterpriseCode: creditCode }), async (tx, { audit }) => {
        const current = await findEnterprise(tx, creditCode);
        if (!current) throw DomainError.notFound('企业', creditCode);
        if (req.body.districtCode) await assertDistrict(tx, req.body.districtCode);
        for (const [k, d] of (req.body.premisesDistrictCodes ?? []).entries()) await assertDistrict(tx, d, `body.premisesDistrictCodes[${k}]`);
        const patch = { ...req.body, ...(req.body.entityType ? { scope: scopeOf(req.body.entityType) } : {}) };
        const row = (await updateEnterprise(tx, creditCode, patch))!;
        await audit({
          action: 'enterprise.updated',
          subjectType: 'enterprise',
          subjectId: creditCode,
          enterpriseCode: creditCode,
          districtCode: row.districtCode,
          payload: { patch },
        });
        return row;
      });
      app.services.principals.invalidate();
      return view(updated);
    },
  );
};

export default enterpriseRoutes;
