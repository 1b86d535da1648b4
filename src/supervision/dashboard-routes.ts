import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import { responses } from '../http/schemas.js';
import { dashboard } from './dashboard.js';
import { shanghaiYear } from '../time/shanghai-date.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const Int = Type.Integer();
const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1, description: '比率，分母为 0 时为空 / ratio, null when nothing to divide by' }));
const ByAgency = Type.Array(Type.Object({ agencyCode: Nullable(Str), agencyName: Nullable(Str), count: Int }));

const Dashboard = Type.Object({
  year: Int,
  jurisdiction: Type.Object({ district: Nullable(Str), name: Str }),
  inspections: Type.Object({
    total: Int,
    byKind: Type.Array(Type.Object({ kind: Str, kindZh: Str, count: Int })),
    byAgency: ByAgency,
  }),
  scanRate: Type.Object({ scanned: Int, withCode: Int, rate: Rate }, { description: '亮码率：有检查码的现场日常/专项检查中已扫码的比例（第十七条）/ code scan rate' }),
  flags: Type.Object({
    total: Int,
    open: Int,
    byRule: Type.Array(Type.Object({ rule: Str, titleZh: Str, count: Int })),
    byAgency: ByAgency,
  }),
  plans: Type.Object(
    {
      agencies: Int,
      onTime: Int,
      late: Int,
      missing: Int,
      awaitingFiling: Int,
      missingAgencies: Type.Array(Type.Object({ agencyCode: Str, agencyName: Str, state: Nullable(Str) })),
      registeredAfterDeadline: Type.Optional(Type.Array(Type.Object({ agencyCode: Str, agencyName: Str }), { description: '3月31日后登记、当年无报送义务的单位 / agencies registered after 31 March' })),
      bureau: Type.Object(
        {
          pending: Int,
          pendingPastDeadline: Int,
          filedAfterDeadline: Int,
          pendingPlans: Type.Array(Type.Object({ agencyCode: Str, agencyName: Str, submittedOn: Nullable(Str), filingBureauCode: Nullable(Str) })),
          backlog: Type.Array(
            Type.Object({ bureauCode: Nullable(Str), bureauName: Nullable(Str), pending: Type.Integer(), oldestSubmittedOn: Nullable(Str), longestWaitDays: Nullable(Type.Integer()) }),
            { description: '各司法行政部门待备案的计划（报送后等待备案，供上级监督）/ plans waiting on each filing bureau' },
          ),
        },
        { description: '司法行政部门待备案及逾3月31日备案的计划（备案机关的进度，不计为执法主体违规）/ the bureau’s own queue and pace' },
      ),
    },
    { description: '年度日常检查计划报送：按本单位报送日期判断按时 / 逾期 / 未报送（第十三条）/ annual plans submitted on time, late, missing — judged by the agency’s submission' },
  ),
  jointRate: Type.Object({ jointVisits: Int, onsiteVisits: Int, rate: Rate }, { description: '综合查一次比例：联合检查次数 ÷ 现场检查次数（第二十六条）/ joint visits ÷ on-site visits' }),
  overdueReferrals: Type.Object({ overdue: Int, total: Int }, { description: '逾期移送：逾期未移送或已标记 REFERRAL_OVERDUE（第二十三条）/ overdue referrals' }),
});

/** GET /stats/dashboard: the supervisors' console front page, within the jurisdiction (Art. 6). */
export const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/stats/dashboard',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['supervision'],
        summary: '监督驾驶舱：本辖区年度检查、亮码率、违规标记、计划备案、综合查一次与逾期移送 / dashboard of the jurisdiction for a year',
        querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2025, maximum: 2100, description: '年度，默认今年 / year, default this year' })) }),
        response: responses(Dashboard),
      },
    },
    async (req) => {
      const now = app.services.clock.now();
      return dashboard(app.services.db, principalOf(req), req.query.year ?? shanghaiYear(now), now);
    },
  );
};

export default dashboardRoutes;
