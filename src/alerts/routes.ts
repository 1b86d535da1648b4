import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listAdminAlerts, type AdminAlert } from './admin-alerts.js';
import { AnyJson, Page, responses } from '../http/schemas.js';

/** What an administrator must do about an alert of each kind. */
const ACTION_ZH: Record<AdminAlert['kind'], string> = {
  calendar_year_missing: '录入该年度法定节假日和调休安排，录入后待定的期限即行补定',
};

const AdminAlertView = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'calendar_year_missing 工作日历年度未录入' }),
  key: Type.String({ description: '如年度 / e.g. the year' }),
  detail: Type.String(),
  action: Type.String({ description: '需要管理员办理的事项 / what clears it' }),
  evidence: AnyJson('告警依据：相关记录及数量 / what the alert rests on'),
  occurrences: Type.Integer({ description: '提醒以来该情形出现的次数 / times the condition was met' }),
  state: Type.Union([Type.Literal('open'), Type.Literal('resolved')]),
  raisedAt: Type.String(),
  lastRaisedAt: Type.String(),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  resolution: Type.Union([Type.String(), Type.Null()]),
});

/** Administrator alerts (src/db/schema/alerts.ts): read-only; the command that clears the condition resolves them. */
export const adminAlertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/admin/alerts',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['system'],
        summary: '管理员提醒（如工作日历年度未录入、移送期限待定）/ administrator alerts',
        querystring: Type.Object({
          state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')], { description: 'open 待办理 | resolved 已解除；不填为全部' })),
          ...Page,
        }),
        response: responses(Type.Array(AdminAlertView)),
      },
    },
    async (req) => {
      const rows = await listAdminAlerts(app.services.db, req.query);
      return rows.map((a) => ({
        id: a.id,
        kind: a.kind,
        key: a.key,
        detail: a.detail,
        action: ACTION_ZH[a.kind],
        evidence: a.evidence,
        occurrences: a.occurrences,
        state: a.resolvedAt ? ('resolved' as const) : ('open' as const),
        raisedAt: a.raisedAt.toISOString(),
        lastRaisedAt: a.lastRaisedAt.toISOString(),
        resolvedAt: a.resolvedAt?.toISOString() ?? null,
        resolution: a.resolution,
      }));
    },
  );
};

export default adminAlertRoutes;
