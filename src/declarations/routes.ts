import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import { runCommand } from '../commands/command.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { Page, responses, Uuid } from '../http/schemas.js';
import { findAgency } from '../registry/agencies.repository.js';
import { assertDeclarationWithinJurisdiction } from '../access/index.js';
import { confirmDeclaration, rejectDeclaration } from './commands.js';
import { againstPeers } from './peers.js';
import { countDeclarations, declarationCounts, findDeclaration, findNamedDeclaration, listDeclarations, type DeclarationFilter } from './repository.js';
import { DeclarationQuery, DeclarationView, declarationView, KindView, kindViews } from './schemas.js';

const IdParams = Type.Object({ id: Uuid });

function checkFilter(q: DeclarationFilter): DeclarationFilter {
  if (q.from && q.to && q.from > q.to) throw DomainError.field('query.to', '结束日期早于开始日期');
  return q;
}

const Counted = Type.Object({
  code: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  agencyCode: Type.String(),
  count: Type.Integer(),
  peerMedian: Type.Number({ description: '同类可比对象的中位数：主体按层级、声明人按所在主体 / the peers’ median: agencies by level, officers within their agency' }),
  ratio: Type.Union([Type.Number(), Type.Null()], { description: '与中位数之比 / count over the peers’ median' }),
});

/**
 * 声明事项登记簿 (the declared-exemption register, issue 22): what officers declared that relaxed a rule and
 * the registry could not confirm, for the agency's own-level supervisors (Art. 6; scoped as flags are), who
 * confirm it or reject it — a rejection becomes a flag under the rule it relaxed.
 */
export const declarationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/declarations/kinds',
    {
      config: { access: ['supervisor', 'officer', 'agency_head', 'admin'] },
      schema: { tags: ['supervision'], summary: '声明事项的种类及其核验、监督方式 / the kinds of declaration and how each is checked or supervised', response: responses(Type.Array(KindView)) },
    },
    async () => kindViews(),
  );

  app.get(
    '/declarations',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['supervision'],
        summary: '声明事项登记簿（区级监督人员仅见本辖区主体）；x-total-count 为总数 / the declared-exemption register within the supervising level',
        querystring: Type.Object({ ...DeclarationQuery, ...Page }),
        response: responses(Type.Array(DeclarationView)),
      },
    },
    async (req, reply) => {
      const { limit, offset, ...filter } = req.query;
      const f = checkFilter(filter);
      const p = principalOf(req);
      const [rows, total] = await Promise.all([listDeclarations(app.services.db, p, f, { limit, offset }), countDeclarations(app.services.db, p, f)]);
      return reply.header('x-total-count', String(total)).send(rows.map(declarationView));
    },
  );

  app.get(
    '/declarations/counts',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['supervision'],
        summary: '声明事项数量：各主体与同层级主体比较，各声明人与本主体其他声明人比较 / counts per agency against its level’s peers and per officer against the agency’s other officers',
        querystring: Type.Object(DeclarationQuery),
        response: responses(Type.Object({ agencies: Type.Array(Counted), officers: Type.Array(Counted) })),
      },
    },
    async (req) => {
      const { byAgency, byOfficer } = await declarationCounts(app.services.db, principalOf(req), checkFilter(req.query));
      const agencies = againstPeers(byAgency, (r) => r.level ?? '').map((r) => ({ code: r.agencyCode, name: r.agencyName, agencyCode: r.agencyCode, count: r.n, peerMedian: r.peerMedian, ratio: r.ratio }));
      const officers = againstPeers(byOfficer, (r) => r.agencyCode).map((r) => ({ code: r.declaredBy, name: r.declaredByName, agencyCode: r.agencyCode, count: r.n, peerMedian: r.peerMedian, ratio: r.ratio }));
      return { agencies: agencies.sort((a, b) => b.count - a.count), officers: officers.sort((a, b) => b.count - a.count) };
    },
  );

  app.get(
    '/declarations/:id',
    {
      config: { access: ['supervisor'] },
      schema: { tags: ['supervision'], summary: '一项声明事项 / one declaration', params: IdParams, response: responses(DeclarationView) },
    },
    async (req) => {
      const row = await findNamedDeclaration(app.services.db, req.params.id);
      if (!row) throw DomainError.notFound('声明事项', req.params.id);
      assertDeclarationWithinJurisdiction(principalOf(req), await findAgency(app.services.db, row.declaration.agencyCode));
      return declarationView(row);
    },
  );

  const refusal = (id: string) => async () => {
    const d = await findDeclaration(app.services.db, id);
    return d ? { subjectType: 'declaration', subjectId: id, agencyCode: d.agencyCode, enterpriseCode: d.enterpriseCode, districtCode: d.districtCode } : null;
  };

  app.post(
    '/declarations/:id/confirm',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['supervision'],
        summary: '确认声明事项 / confirm a declared exemption',
        params: IdParams,
        body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000, description: '说明 / note' })) }, { additionalProperties: false }),
        response: responses(DeclarationView),
      },
    },
    async (req) => {
      const out = await runCommand(commandContext(req), refusal(req.params.id), (tx, scope) => confirmDeclaration(tx, scope, principalOf(req), req.params.id, req.body.note));
      return declarationView((await findNamedDeclaration(app.services.db, out.id))!);
    },
  );

  app.post(
    '/declarations/:id/reject',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['supervision'],
        summary: '不予认可声明事项，须说明理由；即以所放宽的规则产生违规标记，不可撤回 / reject a declared exemption, with the reason: it becomes a flag under the rule it relaxed (irreversible)',
        params: IdParams,
        body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 2000, description: '理由 / reason (required)' }) }, { additionalProperties: false }),
        response: responses(DeclarationView),
      },
    },
    async (req) => {
      const out = await runCommand(commandContext(req), refusal(req.params.id), (tx, scope) => rejectDeclaration(tx, scope, principalOf(req), req.params.id, req.body.note));
      return declarationView((await findNamedDeclaration(app.services.db, out.id))!);
    },
  );
};

export default declarationRoutes;
