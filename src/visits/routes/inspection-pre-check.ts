import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../auth/plugin.js';
import { responses } from '../../http/schemas.js';
import { preCheckDraft } from '../pre-check.js';
import { CreateInspection, RuleResultSchema } from '../schemas/inspection-schemas.js';

const PreChecked = Type.Object({
  checks: Type.Array(RuleResultSchema, { description: '每项规则的结果：规则、条款、观察值、限值、是否通过 / every rule result' }),
  passed: Type.Boolean({ description: '全部通过 / every check passed' }),
  underOrder: Type.Boolean({ description: '是否适用本办法（第二条、第四条）/ whether the Order governs it' }),
});

/**
 * POST /api/v1/inspections/pre-check: the draft guards over a scheme not yet submitted, as a dry run
 * (src/visits/pre-check.ts). A read-only transaction: nothing is written, so no audit entry either.
 * Incomplete input is still a 400 naming the field, as for the draft itself.
 */
export const inspectionPreCheckRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/inspections/pre-check',
    {
      config: { access: ['officer', 'agency_head'] },
      schema: {
        tags: ['inspections'],
        summary: '检查方案预检：不保存，返回各项规则的结果与条款 / dry-run every draft guard without writing',
        body: CreateInspection,
        response: responses(PreChecked),
      },
    },
    async (req) => {
      const out = await app.services.db.transaction((tx) => preCheckDraft(tx, principalOf(req), req.body));
      return { ...out, passed: out.checks.every((c) => c.passed) };
    },
  );
};

export default inspectionPreCheckRoutes;
