import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AgencyCode, CalendarDate, Page, responses } from '../http/schemas.js';
import { listPlans, planItemsOf } from './plans.repository.js';
import { listSpecialPlans } from './special-plans.repository.js';
import { listMatters } from '../registry/matters.repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { Matter, matterView } from '../registry/matter-routes.js';
import { PlanView, publicPlanView, SpecialPlanView, specialPlanView } from './schemas.js';

const Year = Type.Integer({ minimum: 2025, maximum: 2100 });

/**
 * What the regulation says is published to society is readable without login, like device locations
 * (Art. 34): the matter list in force (Art. 7 依法向社会公布), and published annual and special plans
 * (Art. 14 依法向社会公布行政检查计划). Only published rows: drafts, submissions and returns stay internal.
 */
export const publicListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const today = () => shanghaiDate(app.services.clock.now());

  app.get(
    '/matters/public',
    {
      config: { access: 'public' },
      schema: {
        tags: ['registry'],
        summary: '已公布的行政检查事项清单（第七条），无需登录 / the published matter list in force on a date',
        security: [],
        querystring: Type.Object({ agency: Type.Optional(AgencyCode), date: Type.Optional(CalendarDate), ...Page }),
        response: responses(Type.Array(Matter)),
      },
    },
    async (req) => {
      const { date, ...q } = req.query;
      return (await listMatters(app.services.db, { ...q, publishedOn: date ?? today() })).map(matterView);
    },
  );

  app.get(
    '/plans/public',
    {
      config: { access: 'public' },
      schema: {
        tags: ['plans'],
        summary: '已公布的年度日常检查计划（第十四条），无需登录 / published annual plans',
        security: [],
        querystring: Type.Object({ year: Type.Optional(Year), agency: Type.Optional(AgencyCode), ...Page }),
        response: responses(Type.Array(PlanView)),
      },
    },
    async (req) => {
      const db = app.services.db;
      const day = today();
      const rows = await listPlans(db, { ...req.query, publishedOnly: true });
      return Promise.all(rows.map(async (p) => publicPlanView(p, await planItemsOf(db, p.id), day)));
    },
  );

  app.get(
    '/special-plans/public',
    {
      config: { access: 'public' },
      schema: {
        tags: ['plans'],
        summary: '已公布的专项检查计划（第十三条、第十四条），无需登录 / published special plans',
        security: [],
        querystring: Type.Object({ year: Type.Optional(Year), agency: Type.Optional(AgencyCode), ...Page }),
        response: responses(Type.Array(SpecialPlanView)),
      },
    },
    async (req) => (await listSpecialPlans(app.services.db, { ...req.query, publishedOnly: true })).map((p) => ({ ...specialPlanView(p), returnedReason: null })),
  );
};

export default publicListRoutes;
