import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { listAudit } from '../audit/query.js';
import { principalOf } from '../auth/plugin.js';
import type { Principal } from '../auth/principal.js';
import { runCommand, type CommandContext, type CommandScope, type RefusalSubject } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { deviceEvidenceRefusalSubject } from '../devices/evidence.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { runIdempotent } from '../http/idempotency.js';
import { AgencyCode, Page, responses, ShortText } from '../http/schemas.js';
import { assertMayReadReferral } from '../access/index.js';
import { openReferral } from './open.js';
import { flagRefusalAttempt } from './refusal-flag.js';
import { findReferral, listReferrals } from './repository.js';
import { acceptReferral, escalateReferral, receiveReferral, refuseReferral, sendReferral, transferCrime, type Stepped } from './steps.js';
import { findAgency } from '../registry/agencies.repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { HistoryEntry, historyView } from '../plans/schemas.js';
import { CreateReferral, ReferralView, referralView } from './schemas.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Note = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

/** Refusals on a referral are recorded against it, in the acting agency's district. */
async function refusalSubject(req: FastifyRequest, id: string): Promise<RefusalSubject | null> {
  const db = req.server.services.db;
  const r = await findReferral(db, id);
  if (!r) return null;
  const agencyCode = principalOf(req).agency ?? r.agencyCode;
  const agency = await findAgency(db, agencyCode);
  return { subjectType: 'referral', subjectId: r.id, agencyCode, enterpriseCode: r.enterpriseCode, districtCode: agency?.districtCode ?? null };
}

type StepCommand = (tx: Db, scope: CommandScope, actor: Principal, id: string, body: never) => Promise<Stepped>;

export const referralRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const today = () => shanghaiDate(app.services.clock.now());

  app.post(
    '/referrals',
    {
      config: { idempotent: true, access: ['officer', 'agency_head'] },
      schema: {
        tags: ['referrals'],
        summary: '移送违法线索（第二十三条），期限为发现之日起10个工作日 / refer a violation outside the agency’s jurisdiction; accepts Idempotency-Key',
        body: CreateReferral,
        response: responses(ReferralView, 201),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      const input = { ...req.body, agencyCode: req.body.agencyCode ?? actor.agency ?? '' };
      const calendar = await app.services.calendar.current();
      const res = await runIdempotent(req, commandContext(req), deviceEvidenceRefusalSubject(input.evidence, actor.agency) ?? { subjectType: 'agency', subjectId: input.agencyCode, agencyCode: input.agencyCode }, 201, async (tx, scope) =>
        referralView(await openReferral(tx, scope, actor, input, calendar), shanghaiDate(scope.at)),
      );
      return reply.status(res.status).header('idempotent-replayed', String(res.replayed)).send(res.body);
    },
  );

  app.get(
    '/referrals',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: {
        tags: ['referrals'],
        summary: '移送记录：本单位移出与接收的；司法行政部门可查看辖区内逾期的 / referrals within the caller’s scope',
        querystring: Type.Object({
          direction: Type.Optional(Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')], { description: 'incoming 待本单位接收 | outgoing 本单位移出' })),
          overdue: Type.Optional(Type.Boolean({ description: '仅列出逾期未移送或逾期移送的 / overdue only' })),
          state: Type.Optional(Type.String({ maxLength: 30 })),
          agency: Type.Optional(AgencyCode),
          ...Page,
        }),
        response: responses(Type.Array(ReferralView)),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const { overdue, agency, ...q } = req.query;
      let party = agency;
      if (p.role !== 'supervisor') {
        if (agency && agency !== p.agency) throw new DomainError('OUT_OF_SCOPE', '只能查看本单位的移送记录');
        party = p.agency;
      }
      const day = today();
      const rows = await listReferrals(app.services.db, { ...q, party, district: p.role === 'supervisor' ? p.district : undefined, overdueOn: overdue ? day : undefined });
      return rows.map((r) => referralView(r, day));
    },
  );

  app.get(
    '/referrals/:id',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: {
        tags: ['referrals'],
        summary: '移送详情与审计历史（含拒收记录）/ one referral with its history, refusals included',
        params: IdParams,
        response: responses(Type.Intersect([ReferralView, Type.Object({ history: Type.Array(HistoryEntry) })])),
      },
    },
    async (req) => {
      const db = app.services.db;
      const r = await findReferral(db, req.params.id);
      if (!r) throw DomainError.notFound('移送记录', req.params.id);
      await assertMayReadReferral(db, principalOf(req), r);
      const history = await listAudit(db, { subjectType: 'referral', subjectId: r.id, limit: 500, offset: 0 });
      return { ...referralView(r, today()), history: historyView(history) };
    },
  );

  /** `onRuleRefusal` runs after a rule refused the command (its transaction rolled back), in its own transaction. */
  function step(name: string, summary: string, roles: readonly ('officer' | 'agency_head')[], body: TSchema, command: StepCommand, onRuleRefusal?: (ctx: CommandContext, id: string, body: never) => Promise<void>) {
    app.post(
      `/referrals/:id/${name}`,
      { config: { access: roles }, schema: { tags: ['referrals'], summary, params: IdParams, body, response: responses(ReferralView) } },
      async (req) => {
        const id = (req.params as { id: string }).id;
        const ctx = commandContext(req);
        try {
          const out = await runCommand(ctx, () => refusalSubject(req, id), (tx, scope) => command(tx, scope, ctx.actor, id, req.body as never));
          return referralView(out.referral, today(), out.flags);
        } catch (err) {
          if (onRuleRefusal && err instanceof DomainError && err.extensions.rule) await onRuleRefusal(ctx, id, req.body as never);
          throw err;
        }
      },
    );
  }

  const both = ['officer', 'agency_head'] as const;
  step('send', '移送有管辖权的行政执法主体（移送机关）/ send to the competent agency', both, Note, (tx, s, a, id, b: { note?: string }) => sendReferral(tx, s, a, id, b.note));
  step('receive', '接收移送（有管辖权的机关）/ receive (competent agency)', both, Note, (tx, s, a, id, b: { note?: string }) => receiveReferral(tx, s, a, id, b.note));
  step(
    'accept',
    '受理移送（有管辖权的机关应当接收）/ accept (the competent agency must)',
    both,
    Type.Object({ acceptanceRef: Type.Optional(ShortText('受理文号或案号 / acceptance reference', 100)) }, { additionalProperties: false }),
    (tx, s, a, id, b: { acceptanceRef?: string }) => acceptReferral(tx, s, a, id, b.acceptanceRef),
  );
  step(
    'refuse',
    '拒收移送：依第二十三条不予允许，拒收理由记录在案（REFERRAL_REFUSED）/ refusing is refused and recorded',
    both,
    Type.Object({ reason: ShortText('拒收理由 / reason', 1000) }, { additionalProperties: false }),
    (tx, s, a, id, b: { reason: string }) => refuseReferral(tx, s, a, id, b.reason),
    (ctx, id, b: { reason: string }) => flagRefusalAttempt(ctx, id, b.reason),
  );
  step(
    'escalate',
    '管辖争议报请共同上级（记录上级机关与理由）/ take a competence dispute to the common superior',
    both,
    Type.Object({ superiorAgencyCode: AgencyCode, ground: ShortText('争议理由 / ground of the dispute', 2000) }, { additionalProperties: false }),
    (tx, s, a, id, b: { superiorAgencyCode: string; ground: string }) => escalateReferral(tx, s, a, id, b),
  );
  step(
    'crime-transfer',
    '涉嫌犯罪移送公安机关（《行政执法机关移送涉嫌犯罪案件的规定》第三条，负责人批准）/ transfer a suspected crime',
    ['agency_head'],
    Type.Object(
      {
        documentNo: ShortText('涉嫌犯罪案件移送书文号 / transfer document number', 100),
        receivingOrgan: ShortText('接收的公安机关或其他司法机关 / receiving organ', 200),
        note: Type.Optional(Type.String({ maxLength: 1000 })),
      },
      { additionalProperties: false },
    ),
    (tx, s, a, id, b: { documentNo: string; receivingOrgan: string; note?: string }) => transferCrime(tx, s, a, id, b),
  );
};

export default referralRoutes;
