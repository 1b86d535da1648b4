import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import { deviceEvidenceRefusalSubject } from '../devices/evidence.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { runIdempotent } from '../http/idempotency.js';
import { AgencyCode, AnyJson, CalendarDate, CreditCode, Page, responses, ShortText } from '../http/schemas.js';
import { assertMayReadCrimeTransfer, findCrimeTransfer, listCrimeTransfers, recordCrimeTransfer, type CrimeTransfer } from './crime-transfer.js';
import { EvidenceItem } from './schemas.js';

const CrimeTransferView = Type.Object({
  id: Type.String(),
  agencyCode: Type.String({ description: '移送的行政执法主体 / transferring agency' }),
  enterpriseCode: Type.String(),
  inspectionId: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  evidence: Type.Array(AnyJson('移送的证据材料 / an item of evidence handed over')),
  foundOn: Type.String(),
  documentNo: Type.String({ description: '涉嫌犯罪案件移送书文号 / transfer document number' }),
  receivingOrgan: Type.String({ description: '接收的公安机关 / receiving public security organ' }),
  approvedBy: Type.String({ description: '批准移送的负责人 / approving head' }),
  transferredAt: Type.String(),
});

const view = (c: CrimeTransfer) => ({ ...c, transferredAt: c.transferredAt.toISOString() });

/**
 * 涉嫌犯罪案件移送 of a violation within the agency's own jurisdiction (Art. 23, 《行政执法机关移送涉嫌犯罪案件的
 * 规定》): no referral to another administrative agency first. A referral's own crime transfer stays at
 * POST /referrals/{id}/crime-transfer.
 */
export const crimeTransferRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/crime-transfers',
    {
      config: { idempotent: true, access: ['agency_head'] },
      schema: {
        tags: ['referrals'],
        summary: '本单位管辖的违法行为涉嫌犯罪，移送公安机关（第二十三条，《行政执法机关移送涉嫌犯罪案件的规定》，负责人批准）/ transfer a suspected crime found within the agency’s own jurisdiction; accepts Idempotency-Key',
        body: Type.Object(
          {
            agencyCode: Type.Optional(AgencyCode),
            enterpriseCode: CreditCode,
            description: ShortText('涉嫌犯罪的违法事实 / the facts found', 2000),
            evidence: Type.Array(EvidenceItem, { minItems: 1, maxItems: 50, description: '随案移送的证据材料 / evidence handed over' }),
            documentNo: ShortText('涉嫌犯罪案件移送书文号 / transfer document number', 100),
            receivingOrgan: ShortText('接收的公安机关 / receiving public security organ', 200),
            foundOn: Type.Optional(CalendarDate),
            inspectionId: Type.Optional(Type.String({ format: 'uuid', description: '发现线索的行政检查 / the inspection that found it' })),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: responses(CrimeTransferView, 201),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      const input = { ...req.body, agencyCode: req.body.agencyCode ?? actor.agency ?? '' };
      const subject = deviceEvidenceRefusalSubject(input.evidence, actor.agency) ?? { subjectType: 'agency', subjectId: input.agencyCode, agencyCode: input.agencyCode };
      const res = await runIdempotent(req, commandContext(req), subject, 201, async (tx, scope) => view(await recordCrimeTransfer(tx, scope, actor, input)));
      return reply.status(res.status).header('idempotent-replayed', String(res.replayed)).send(res.body);
    },
  );

  app.get(
    '/crime-transfers',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: {
        tags: ['referrals'],
        summary: '涉嫌犯罪案件移送记录：本单位的；司法行政部门可查看辖区内的 / crime transfers within the caller’s scope',
        querystring: Type.Object({ agency: Type.Optional(AgencyCode), enterpriseCode: Type.Optional(CreditCode), ...Page }),
        response: responses(Type.Array(CrimeTransferView)),
      },
    },
    async (req) => {
      const p = principalOf(req);
      let agency = req.query.agency;
      if (p.role !== 'supervisor') {
        if (agency && agency !== p.agency) throw new DomainError('OUT_OF_SCOPE', '只能查看本单位的涉嫌犯罪案件移送记录');
        agency = p.agency;
      }
      const rows = await listCrimeTransfers(app.services.db, { ...req.query, agency, district: p.role === 'supervisor' ? p.district : undefined });
      return rows.map(view);
    },
  );

  app.get(
    '/crime-transfers/:id',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: {
        tags: ['referrals'],
        summary: '一件涉嫌犯罪案件移送记录 / one crime transfer',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: responses(CrimeTransferView),
      },
    },
    async (req) => {
      const db = app.services.db;
      const c = await findCrimeTransfer(db, req.params.id);
      if (!c) throw DomainError.notFound('涉嫌犯罪案件移送记录', req.params.id);
      await assertMayReadCrimeTransfer(db, principalOf(req), c);
      return view(c);
    },
  );
};

export default crimeTransferRoutes;
