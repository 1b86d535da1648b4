import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { runCommand } from '../commands/command.js';
import { isUniqueViolation } from '../db/errors.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { AgencyCode, CreditCode, responses, ShortText } from '../http/schemas.js';
import { deleteRelation, insertRelation, listRelations } from './agency-relations.repository.js';
import { findAgency } from './agencies.repository.js';
import { findEnterprise } from './enterprises.repository.js';
import { refusalSubjectOf } from './refusal-subject.js';

const Relation = Type.Union([Type.Literal('soe_supervision'), Type.Literal('subordinate_unit')], {
  description: '第二条第二款：soe_supervision 国资监管机构所监管企业 | subordinate_unit 所属单位',
});
const RelationView = Type.Object({
  agencyCode: Type.String(),
  agencyName: Type.Union([Type.String(), Type.Null()]),
  enterpriseCode: Type.String(),
  enterpriseName: Type.Union([Type.String(), Type.Null()]),
  relation: Relation,
  source: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
const Body = Type.Object({ agencyCode: AgencyCode, enterpriseCode: CreditCode, relation: Relation, source: ShortText('依据：名录、文件 / where the registry took it from', 200) }, { additionalProperties: false });

/**
 * The registry's Art. 2 ¶2 relations (which enterprises a state-asset supervision body supervises, which
 * units are subordinate to which agency), kept by administrators like the rest of the registry, read by the
 * excluded-relation check (src/declarations/excluded-relation.ts) and by supervisors.
 */
export const agencyRelationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/agency-relations',
    {
      config: { access: ['admin', 'supervisor', 'officer', 'agency_head'] },
      schema: {
        tags: ['registry'],
        summary: '登记的隶属关系和国资监管关系（第二条第二款）/ registered subordinate-unit and SOE-supervision relations',
        querystring: Type.Object({ agency: Type.Optional(AgencyCode), enterprise: Type.Optional(CreditCode) }),
        response: responses(Type.Array(RelationView)),
      },
    },
    async (req) => (await listRelations(app.services.db, req.query)).map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
  );

  app.post(
    '/agency-relations',
    {
      config: { access: ['admin'] },
      schema: { tags: ['registry'], summary: '登记隶属关系或国资监管关系 / register a relation', body: Body, response: responses(RelationView, 201) },
    },
    async (req, reply) => {
      const b = req.body;
      const row = await runCommand(commandContext(req), refusalSubjectOf(app.services.db, { subjectType: 'agency', subjectId: b.agencyCode, agencyCode: b.agencyCode, enterpriseCode: b.enterpriseCode }), async (tx, { at, audit }) => {
        const agency = await findAgency(tx, b.agencyCode);
        if (!agency) throw DomainError.field('body.agencyCode', `行政执法主体 ${b.agencyCode} 不存在`, 'REFERENCE_INVALID');
        const enterprise = await findEnterprise(tx, b.enterpriseCode);
        if (!enterprise) throw DomainError.field('body.enterpriseCode', `企业 ${b.enterpriseCode} 未登记`, 'REFERENCE_INVALID');
        if (b.relation === 'soe_supervision' && !agency.stateAssetSupervisor) {
          throw DomainError.field('body.agencyCode', `${agency.name}未登记为国有资产监督管理机构，不能登记国资监管关系`);
        }
        try {
          await insertRelation(tx, { ...b, createdAt: at });
        } catch (err) {
          if (isUniqueViolation(err)) throw new DomainError('ALREADY_EXISTS', `该关系已登记`);
          throw err;
        }
        await audit({ action: 'agency_relation.created', subjectType: 'agency', subjectId: b.agencyCode, agencyCode: b.agencyCode, enterpriseCode: b.enterpriseCode, districtCode: agency.districtCode, payload: b });
        return { ...b, agencyName: agency.name, enterpriseName: enterprise.name, createdAt: at.toISOString() };
      });
      return reply.status(201).send(row);
    },
  );

  app.delete(
    '/agency-relations',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['registry'],
        summary: '注销已登记的关系 / remove a registered relation',
        querystring: Type.Object({ agency: AgencyCode, enterprise: CreditCode, relation: Relation }),
        response: responses(Type.Object({ removed: Type.Boolean() }), 200, [404]),
      },
    },
    async (req) => {
      const q = req.query;
      return runCommand(commandContext(req), refusalSubjectOf(app.services.db, { subjectType: 'agency', subjectId: q.agency, agencyCode: q.agency }), async (tx, { audit }) => {
        const removed = await deleteRelation(tx, q.agency, q.enterprise, q.relation);
        if (!removed) throw DomainError.notFound('登记关系', `${q.agency}/${q.enterprise}`);
        await audit({ action: 'agency_relation.removed', subjectType: 'agency', subjectId: q.agency, agencyCode: q.agency, enterpriseCode: q.enterprise, payload: q });
        return { removed: true };
      });
    },
  );
};

export default agencyRelationRoutes;
