import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { count, like } from 'drizzle-orm';
import { Type } from 'typebox';
import { auditEntries } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { ERRORS } from '../errors/registry.js';
import { article, regulationArticles } from './articles.js';
import { articlesLabel, orderArticles } from '../rules/article.js';
import { RULES } from '../rules/catalog.js';
import { raisersOf, rolesOf } from '../rules/raisers.js';
import { declarationsRelaxing } from '../declarations/kinds.js';
import { responses } from '../http/schemas.js';
import { flagCountsByRule } from '../supervision/flags.repository.js';

const Article = Type.Object({ number: Type.Integer(), label: Type.String(), chapter: Type.String(), text: Type.String() });
const CommandRef = Type.Object({ command: Type.String({ description: '命令（导出函数名）/ the command' }), file: Type.String() });
const Raiser = Type.Union([CommandRef, Type.Object({ job: Type.String({ description: '定时巡检任务 / the sweeper job' }) })]);
const Reason = Type.Object({ zh: Type.String(), en: Type.String() });
const ErrorEntry = Type.Object({
  code: Type.String(),
  status: Type.Integer(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  rule: Type.Optional(Type.String()),
  article: Type.Optional(Type.String()),
});

export const regulationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/regulation/articles',
    {
      config: { access: 'public' },
      schema: { tags: ['regulation'], summary: '《武汉市规范涉企行政检查办法》全文（按条）/ the regulation, article by article', security: [], response: responses(Type.Array(Article)) },
    },
    async () => regulationArticles(),
  );

  app.get(
    '/regulation/articles/:number',
    {
      config: { access: 'public' },
      schema: {
        tags: ['regulation'],
        summary: '某一条原文 / one article’s original text',
        security: [],
        params: Type.Object({ number: Type.Integer({ minimum: 1, maximum: 99 }) }),
        response: responses(Article),
      },
    },
    async (req) => {
      const a = article(req.params.number);
      if (!a) throw DomainError.notFound('条款', String(req.params.number));
      return a;
    },
  );

  app.get(
    '/errors',
    { config: { access: 'public' }, schema: { tags: ['regulation'], summary: '错误码登记表 / the error registry', security: [], response: responses(Type.Array(ErrorEntry)) } },
    async () => ERRORS,
  );

  app.get(
    '/errors/:code',
    {
      config: { access: 'public' },
      schema: { tags: ['regulation'], summary: '某一错误码 / one error code', security: [], params: Type.Object({ code: Type.String({ pattern: '^[A-Z_]{2,60}$' }) }), response: responses(ErrorEntry) },
    },
    async (req) => {
      const e = ERRORS.find((x) => x.code === req.params.code);
      if (!e) throw DomainError.notFound('错误码', req.params.code);
      return e;
    },
  );

  app.get(
    '/rules',
    {
      config: { access: 'public' },
      schema: {
        tags: ['regulation'],
        summary: '规则目录：条款、原文、类型、如何触发（命令或定时巡检）或为何无从检测，以及触发次数 / rule catalogue: article text, kind, how each rule is raised or why it cannot be checked, times fired',
        security: [],
        response: responses(
          Type.Array(
            Type.Object({
              id: Type.String(),
              article: Type.String(),
              articleText: Type.Array(Article),
              kind: Type.String(),
              roles: Type.Array(Type.Union([Type.Literal('guard'), Type.Literal('detector'), Type.Literal('record-only')]), {
                description: 'guard 拒绝操作 | detector 标记供监督 | record-only 仅记录、无从判断',
              }),
              guardedBy: Type.Array(CommandRef, { description: '以此规则拒绝的命令 / commands that refuse with it' }),
              raisedBy: Type.Array(Raiser, { description: '产生标记之处：命令或定时巡检任务 / where its flag is raised' }),
              recordedBy: Type.Array(CommandRef, { description: '记录该条款要求事项的命令（仅记录类规则）/ commands that record what a record-only rule asks' }),
              notCheckable: Type.Union([Reason, Type.Null()], { description: '数据无从检测的理由 / why the data cannot show it' }),
              pending: Type.Union([Reason, Type.Null()], { description: '检测部分尚在实现 / detector half not yet in place' }),
              severity: Type.String(),
              titleZh: Type.String(),
              titleEn: Type.String(),
              fired: Type.Integer({ description: '被拒绝或标记的次数 / times refused or flagged' }),
              declarations: Type.Array(
                Type.Object({
                  kind: Type.String(),
                  labelZh: Type.String(),
                  field: Type.String(),
                  checked: Type.Union([Reason, Type.Null()], { description: '登记信息如何核验 / how the registry checks it' }),
                  registered: Type.Union([Reason, Type.Null()], { description: '何时记入声明事项，由监督人员确认或者不予认可 / when it goes on the register for the supervisors' }),
                }),
                { description: '放宽本规则的声明事项（不予认可时以本规则标记）/ the declarations that relax this rule (a rejected one is flagged under it)' },
              ),
            }),
          ),
        ),
      },
    },
    async () => {
      // A rule fires when it refuses an action (audit `refused.<RULE>`) or raises a flag (the violation register).
      const [refused, flagged] = await Promise.all([
        app.services.db
          .select({ action: auditEntries.action, n: count() })
          .from(auditEntries)
          .where(like(auditEntries.action, 'refused.%'))
          .groupBy(auditEntries.action),
        flagCountsByRule(app.services.db),
      ]);
      const firedBy = new Map(refused.map((f) => [f.action.slice('refused.'.length), Number(f.n)]));
      for (const [rule, n] of flagged) firedBy.set(rule, (firedBy.get(rule) ?? 0) + n);
      return RULES.map((r) => ({
        id: r.id,
        article: articlesLabel(r.articles),
        articleText: orderArticles(r.articles).map((n) => article(n)!),
        kind: r.kind,
        roles: rolesOf(r),
        guardedBy: [...(raisersOf(r.id).guardedBy ?? [])],
        raisedBy: [...(raisersOf(r.id).raisedBy ?? [])],
        recordedBy: [...(raisersOf(r.id).recordedBy ?? [])],
        notCheckable: raisersOf(r.id).notCheckable ?? null,
        pending: raisersOf(r.id).pending ?? null,
        severity: r.severity,
        titleZh: r.titleZh,
        titleEn: r.titleEn,
        fired: firedBy.get(r.id) ?? 0,
        declarations: declarationsRelaxing(r.id).map(({ kind, labelZh, field, checked, registered }) => ({ kind, labelZh, field, checked, registered })),
      }));
    },
  );
};

export default regulationRoutes;
