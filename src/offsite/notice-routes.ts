import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eq } from 'drizzle-orm';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import type { Principal } from '../auth/principal.js';
import { runCommand } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { enterpriseNotices } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { Page, responses } from '../http/schemas.js';
import { findNotice, listNotices, type EnterpriseNotice } from './notices.repository.js';
import { findAgency } from '../registry/agencies.repository.js';
import { NoticeView, noticeView } from '../visits/schemas/notice-schemas.js';
import { refusalSubjectOf } from '../registry/refusal-subject.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The enterprise sees its own notices; the issuing agency sees what it sent; supervisors within their district. */
async function assertMayReadNotice(db: Db, p: Principal, n: EnterpriseNotice): Promise<void> {
  if (p.role === 'enterprise' && p.creditCode === n.enterpriseCode) return;
  if ((p.role === 'officer' || p.role === 'agency_head') && p.agency === n.agencyCode) return;
  if (p.role === 'supervisor' && (!p.district || (await findAgency(db, n.agencyCode))?.districtCode === p.district)) return;
  throw new DomainError('OUT_OF_SCOPE', '无权查看该告知提示');
}

export const enterpriseNoticeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/enterprise-notices',
    {
      config: { access: ['enterprise', 'officer', 'agency_head', 'supervisor'] },
      schema: {
        tags: ['inspections'],
        summary: '违法行为告知提示（第三十七条）：企业查看本企业的，执法机关查看本单位发出的 / enterprise notices within the caller’s scope',
        querystring: Type.Object({ unread: Type.Optional(Type.Boolean({ description: '仅未读 / unread only' })), ...Page }),
        response: responses(Type.Array(NoticeView)),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const scope =
        p.role === 'enterprise' ? { enterprise: p.creditCode } : p.role === 'supervisor' ? { agencyDistrict: p.district } : { agency: p.agency };
      const rows = await listNotices(app.services.db, { ...scope, unread: req.query.unread, limit: req.query.limit, offset: req.query.offset });
      return rows.map(noticeView);
    },
  );

  app.get(
    '/enterprise-notices/:id',
    {
      config: { access: ['enterprise', 'officer', 'agency_head', 'supervisor'] },
      schema: { tags: ['inspections'], summary: '一条告知提示 / one notice', params: IdParams, response: responses(NoticeView) },
    },
    async (req) => {
      const n = await findNotice(app.services.db, req.params.id);
      if (!n) throw DomainError.notFound('告知提示', req.params.id);
      await assertMayReadNotice(app.services.db, principalOf(req), n);
      return noticeView(n);
    },
  );

  app.post(
    '/enterprise-notices/:id/read',
    {
      config: { access: ['enterprise'] },
      schema: { tags: ['inspections'], summary: '企业标记已读 / the enterprise marks the notice read', params: IdParams, response: responses(NoticeView) },
    },
    async (req) => {
      const ctx = commandContext(req);
      const out = await runCommand(ctx, refusalSubjectOf(ctx.db, { subjectType: 'enterprise_notice', subjectId: req.params.id, enterpriseCode: ctx.actor.creditCode }), async (tx, scope) => {
        const n = await findNotice(tx, req.params.id, true);
        if (!n) throw DomainError.notFound('告知提示', req.params.id);
        if (n.enterpriseCode !== ctx.actor.creditCode) throw new DomainError('OUT_OF_SCOPE', '只能标记本企业收到的告知提示');
        // Reading twice keeps the first time it was read.
        if (n.readAt) return n;
        const [updated] = await tx.update(enterpriseNotices).set({ readAt: scope.at, readBy: ctx.actor.sub }).where(eq(enterpriseNotices.id, n.id)).returning();
        await scope.audit({ action: 'notice.read', subjectType: 'enterprise_notice', subjectId: n.id, agencyCode: n.agencyCode, enterpriseCode: n.enterpriseCode, payload: {} });
        return updated!;
      });
      return noticeView(out);
    },
  );
};

export default enterpriseNoticeRoutes;
