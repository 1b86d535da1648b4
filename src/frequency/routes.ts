import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import type { Principal } from '../auth/principal.js';
import { DomainError } from '../errors/domain-error.js';
import { frequencyAllowance } from './allowance.js';
import { loadFrequencyFacts } from './facts.js';
import { AgencyCode, CalendarDate, CreditCode, responses } from '../http/schemas.js';
import { findEnterprise } from '../registry/enterprises.repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { MatterCode } from '../plans/schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Period = Type.Object({ start: Type.String(), end: Type.String(), label: Type.String() });
const Usage = Type.Object({
  frequencyRuleId: Type.String(),
  issuerName: Type.String(),
  documentNo: Type.String(),
  scopeKind: Type.String(),
  scopeValue: Nullable(Type.String()),
  riskClass: Nullable(Type.String()),
  periodKind: Type.String(),
  modes: Type.Array(Type.String(), { description: '计入的检查方式：onsite 现场 | offsite 非现场 / modes this cap counts' }),
  period: Period,
  limit: Type.Integer({ description: '上限 / limit' }),
  used: Type.Integer({ description: '本期已检查次数 / inspections counted in the period' }),
  remaining: Type.Integer({ description: '本期剩余次数 / remaining in the period' }),
});
const NoDisturbEntry = Type.Object({ agencyCode: Nullable(Type.String()), fromDate: Type.String(), toDate: Nullable(Type.String()), reason: Type.String(), basis: Type.String() });

const Answer = Type.Object({
  enterpriseCode: Type.String(),
  agencyCode: Type.String(),
  matterCode: Type.String(),
  date: Type.String(),
  kind: Type.String(),
  mode: Type.String(),
  upperDeployed: Type.Boolean(),
  riskClass: Nullable(Type.String()),
  domain: Type.String(),
  article: Type.Literal('第十五条'),
  noDisturb: Type.Object({
    listed: Type.Boolean({ description: '列入“无事不扰”清单 / on the list for this agency on the date' }),
    blocksThisKind: Type.Boolean({ description: '是否阻止本次检查（仅现场日常检查）/ blocks this inspection (on-site routine only)' }),
    rule: Type.Literal('NO_DISTURB'),
    entries: Type.Array(NoDisturbEntry),
  }),
  caps: Type.Array(Usage),
  caseThresholds: Type.Array(Usage, { description: '个案检查监督阈值（不拒绝，超过即提示监督）/ case-anomaly thresholds' }),
  allowed: Type.Boolean({ description: '再检查一次是否在频次之内 / would one more inspection pass' }),
});

/** Officers and heads of the agency asked about, every supervisor and admin, and the enterprise itself. */
function assertMayAsk(p: Principal, creditCode: string, agencyCode: string): void {
  if (p.role === 'enterprise' && p.creditCode === creditCode) return;
  if ((p.role === 'officer' || p.role === 'agency_head') && p.agency === agencyCode) return;
  if (p.role === 'supervisor' || p.role === 'admin') return;
  throw new DomainError('OUT_OF_SCOPE', p.role === 'enterprise' ? '企业只能查询本企业的检查频次' : `只能查询本单位（${p.agency ?? '无'}）的检查频次`);
}

export const frequencyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/enterprises/:creditCode/frequency',
    {
      config: { access: ['officer', 'agency_head', 'supervisor', 'admin', 'enterprise'] },
      schema: {
        tags: ['frequency'],
        summary: '某企业的检查频次余量（第十五条）/ frequency used, limit and remaining for a planned visit',
        params: Type.Object({ creditCode: CreditCode }),
        querystring: Type.Object({
          agency: AgencyCode,
          matter: MatterCode,
          date: Type.Optional(CalendarDate),
          kind: Type.Union([Type.Literal('routine'), Type.Literal('special'), Type.Literal('case')], { default: 'routine' }),
          mode: Type.Union([Type.Literal('onsite'), Type.Literal('offsite')], { default: 'onsite', description: 'onsite 现场 | offsite 非现场' }),
          upperDeployed: Type.Boolean({ default: false, description: '执行上级部署的专项检查（不计入频次）/ executing an upper deployment' }),
        }),
        response: responses(Answer),
      },
    },
    async (req) => {
      const { creditCode } = req.params;
      const q = req.query;
      assertMayAsk(principalOf(req), creditCode, q.agency);
      const db = app.services.db;
      if (!(await findEnterprise(db, creditCode))) throw DomainError.notFound('企业', creditCode);
      const date = q.date ?? shanghaiDate(app.services.clock.now());
      const p = principalOf(req);
      const facts = await loadFrequencyFacts(db, { enterpriseCode: creditCode, date, agencyCode: q.agency, matterCode: q.matter, enterpriseView: p.role === 'enterprise' ? app.services.clock.now() : undefined });
      const a = frequencyAllowance(facts, q.kind, q.upperDeployed, q.mode);
      return {
        enterpriseCode: creditCode,
        agencyCode: q.agency,
        matterCode: q.matter,
        date,
        kind: q.kind,
        mode: q.mode,
        upperDeployed: a.upperDeployed,
        riskClass: facts.riskClass,
        domain: facts.domain,
        article: '第十五条' as const,
        noDisturb: { listed: a.noDisturb.length > 0, blocksThisKind: a.noDisturbBlocks, rule: 'NO_DISTURB' as const, entries: a.noDisturb },
        caps: a.caps,
        caseThresholds: a.caseThresholds,
        allowed: a.allowed,
      };
    },
  );
};

export default frequencyRoutes;
