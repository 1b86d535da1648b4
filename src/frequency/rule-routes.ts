import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { PERSON_ROLES } from '../auth/principal.js';
import { runCommand } from '../commands/command.js';
import { DomainError } from '../errors/domain-error.js';
import {
  findFrequencyRule,
  insertFrequencyRule,
  listFrequencyRules,
  retireFrequencyRule,
  type FrequencyRule as FrequencyRuleRow,
} from './frequency-rules.repository.js';
import { commandContext } from '../http/context.js';
import { runIdempotent } from '../http/idempotency.js';
import { AgencyCode, CalendarDate, Page, responses, ShortText, Uuid } from '../http/schemas.js';
import { findAgency } from '../registry/agencies.repository.js';
import { addDays } from '../time/shanghai-date.js';
import { refusalSubjectOf } from '../registry/refusal-subject.js';

const Kind = Type.Union([Type.Literal('cap'), Type.Literal('case_anomaly')], {
  description: 'cap 日常/专项检查频次上限 | case_anomaly 个案检查明显超过合理频次的监督阈值',
});
const ScopeKind = Type.Union([Type.Literal('matter'), Type.Literal('domain'), Type.Literal('agency')], {
  description: 'matter 单一检查事项 | domain 某一领域 | agency 该主体全部事项',
});
const Mode = Type.Union([Type.Literal('onsite'), Type.Literal('offsite')], { description: 'onsite 现场检查 | offsite 非现场检查' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const FrequencyRule = Type.Object({
  id: Type.String(),
  kind: Kind,
  issuerLevel: Type.String({ description: 'state_council 国务院 | province 省 | city 市' }),
  issuerName: Type.String(),
  documentNo: Type.String(),
  scopeKind: ScopeKind,
  scopeValue: Nullable(Type.String()),
  agencyCode: Nullable(Type.String()),
  period: Type.String({ description: 'year 年 | quarter 季 | month 月 | week 周' }),
  maxCount: Type.Integer(),
  modes: Type.Array(Mode),
  riskClass: Nullable(Type.String()),
  effectiveFrom: Type.String(),
  effectiveTo: Nullable(Type.String()),
  createdAt: Type.String(),
});

const view = (r: FrequencyRuleRow) => ({ ...r, createdAt: r.createdAt.toISOString() });

/** Art. 15, 40(10): the published annual frequencies, as data an administrator maintains. */
export const frequencyRuleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/frequency-rules',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['frequency'],
        summary: '检查频次规则（第十五条）/ frequency caps and case-anomaly thresholds',
        querystring: Type.Object({
          kind: Type.Optional(Kind),
          scopeKind: Type.Optional(ScopeKind),
          agency: Type.Optional(AgencyCode),
          inForceOn: Type.Optional(CalendarDate),
          ...Page,
        }),
        response: responses(Type.Array(FrequencyRule)),
      },
    },
    async (req) => (await listFrequencyRules(app.services.db, req.query)).map(view),
  );

  app.post(
    '/frequency-rules',
    {
      config: { idempotent: true, access: ['admin'] },
      schema: {
        tags: ['frequency'],
        summary: '登记已公布的检查频次 / record a published frequency cap; accepts Idempotency-Key',
        body: Type.Object(
          {
            kind: Type.Optional(Kind),
            issuerLevel: Type.Union([Type.Literal('state_council'), Type.Literal('province'), Type.Literal('city')]),
            issuerName: ShortText('发布机关 / issuing authority', 200),
            documentNo: ShortText('文号 / document number', 100),
            scopeKind: ScopeKind,
            scopeValue: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$', description: '事项编码或领域 / matter code or domain' })),
            agencyCode: Type.Optional(AgencyCode),
            period: Type.Union([Type.Literal('year'), Type.Literal('quarter'), Type.Literal('month'), Type.Literal('week')]),
            maxCount: Type.Integer({ minimum: 1, maximum: 1000 }),
            modes: Type.Optional(
              Type.Array(Mode, {
                minItems: 1,
                maxItems: 2,
                uniqueItems: true,
                description: '该频次计入的检查方式，缺省仅计现场检查 / modes the published cap counts; default on-site only',
              }),
            ),
            riskClass: Type.Optional(Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Literal('C'), Type.Literal('D')])),
            effectiveFrom: CalendarDate,
            effectiveTo: Type.Optional(CalendarDate),
          },
          { additionalProperties: false },
        ),
        response: responses(FrequencyRule, 201),
      },
    },
    async (req, reply) => {
      const b = req.body;
      // An agency-wide cap has no scope value; a matter or domain cap names one.
      if (b.scopeKind === 'agency' && b.scopeValue) throw DomainError.field('body.scopeValue', '检查范围为本单位时不填');
      if (b.scopeKind !== 'agency' && !b.scopeValue) throw DomainError.field('body.scopeValue', `检查范围为${b.scopeKind === 'matter' ? '检查事项' : '领域'}时必填`);
      if (b.effectiveTo && b.effectiveTo < b.effectiveFrom) throw DomainError.field('body.effectiveTo', '不能早于生效日期');
      const res = await runIdempotent(req, commandContext(req), refusalSubjectOf(app.services.db, { subjectType: b.agencyCode ? 'agency' : 'frequency_rules', subjectId: b.agencyCode ?? `${b.scopeKind}:${b.scopeValue ?? ''}`, agencyCode: b.agencyCode }), 201, async (tx, { at, audit }) => {
        if (b.agencyCode && !(await findAgency(tx, b.agencyCode))) {
          throw DomainError.field('body.agencyCode', `行政执法主体 ${b.agencyCode} 不存在`, 'REFERENCE_INVALID');
        }
        const row = await insertFrequencyRule(tx, {
          ...b,
          id: randomUUID(),
          kind: b.kind ?? 'cap',
          // Art. 15 caps visits; Art. 32 prefers off-site checks, so they count only where the cap says so.
          modes: b.modes ?? ['onsite'],
          scopeValue: b.scopeValue ?? null,
          agencyCode: b.agencyCode ?? null,
          riskClass: b.riskClass ?? null,
          effectiveTo: b.effectiveTo ?? null,
          createdAt: at,
        });
        await audit({ action: 'frequency_rule.created', subjectType: 'frequency_rule', subjectId: row.id, agencyCode: row.agencyCode, after: 'in_force', payload: b });
        return view(row);
      });
      return reply.status(res.status).send(res.body);
    },
  );

  app.post(
    '/frequency-rules/:id/retire',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['frequency'],
        summary: '废止频次规则（设定失效日期，不删除）/ retire a rule by closing its window',
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ effectiveTo: CalendarDate }, { additionalProperties: false }),
        response: responses(FrequencyRule),
      },
    },
    async (req) =>
      view(
        await runCommand(commandContext(req), { subjectType: 'frequency_rule', subjectId: req.params.id }, async (tx, { audit }) => {
          const row = await findFrequencyRule(tx, req.params.id, 'update');
          if (!row) throw DomainError.notFound('频次规则', req.params.id);
          const to = req.body.effectiveTo;
          // The day before it took effect is allowed: a rule withdrawn before it ever applied.
          if (to < addDays(row.effectiveFrom, -1)) throw DomainError.field('body.effectiveTo', `不能早于生效日期 ${row.effectiveFrom} 的前一日`);
          // Past counts were judged under the rule; it can end earlier, never be revived by a later date.
          if (row.effectiveTo && to > row.effectiveTo) throw DomainError.field('body.effectiveTo', `该规则已于 ${row.effectiveTo} 失效`);
          const out = await retireFrequencyRule(tx, row.id, to);
          await audit({
            action: 'frequency_rule.retired',
            subjectType: 'frequency_rule',
            subjectId: row.id,
            agencyCode: row.agencyCode,
            before: 'in_force',
            after: 'retired',
            payload: { effectiveTo: to, previousEffectiveTo: row.effectiveTo },
          });
          return out;
        }),
      ),
  );
};

export default frequencyRuleRoutes;
