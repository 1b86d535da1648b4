import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { count, like } from 'drizzle-orm';
import { Type } from 'typebox';
import { auditEntries } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { ERRORS } from '../errors/registry.js';
import { article, regulationArticles } from '../regulation/articles.js';
import { articlesLabel, orderArticles } from '../rules/article.js';
import { RULES } from '../rules/catalog.js';
import { responses } from '../http/schemas.js';
import { flagCountsByRule } from '../supervision/flags.repository.js';

const Article = Type.Object({ number: Type.Integer(), label: Type.String(), chapter: Type.String(), text: Type.String() });
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
        summary: '规则目录：条款、原文、类型与触发次数 / rule catalogue with article text, kind and times fired',
        security: [],
        response: responses(
          Type.Array(
            Type.Object({
              id: Type.String(),
              article: Type.String(),
              articleText: Type.Array(Article),
              kind: Type.String(),
              severity: Type.String(),
              titleZh: Type.String(),
              titleEn: Type.String(),
              fired: Type.Integer({ description: '被拒绝或标记的次数 / times refused or flagged' }),
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
        severity: r.severity,
        titleZh: r.titleZh,
        titleEn: r.titleEn,
        fired: firedBy.get(r.id) ?? 0,
      }));
    },
  );
};
