import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../auth/plugin.js';
import { DomainError } from '../../../errors/domain-error.js';
import { DistrictCode, responses } from '../../../http/schemas.js';
import { jointInspectionStats } from '../stats.js';
import { shanghaiYear } from '../../../time/shanghai-date.js';

const Figures = {
  onsiteVisits: Type.Integer({ description: '现场检查次数（按单位计）/ on-site visits, counted per agency' }),
  jointVisits: Type.Integer({ description: '其中以“综合查一次”方式实施的 / of which as part of a joint visit' }),
  jointRate: Type.Number({ description: '联合检查率 = jointVisits / onsiteVisits' }),
};
const Area = {
  ...Figures,
  jointTasksVisits: Type.Integer({ description: '由本区单位发起的联合检查次数（每家企业一次）/ joint visits led from here' }),
  visitsSaved: Type.Integer({ description: '减少的入企次数 = Σ(参与单位数 − 1) / visits saved' }),
};

/** Supervisors' figures for 综合查一次 (Art. 26–31), within their jurisdiction. */
export const jointStatsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/stats/joint-inspections',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['joint'],
        summary: '“综合查一次”统计：各区、各单位联合检查率与减少的入企次数 / joint-inspection rate and visits saved, by district and agency',
        querystring: Type.Object({
          year: Type.Optional(Type.Integer({ minimum: 2025, maximum: 2100, description: '年度（默认本年）/ year' })),
          district: Type.Optional(DistrictCode),
        }),
        response: responses(
          Type.Object({
            year: Type.Integer(),
            district: Type.Union([Type.String(), Type.Null()]),
            totals: Type.Object(Area),
            byDistrict: Type.Array(Type.Object({ districtCode: Type.Union([Type.String(), Type.Null()], { description: 'null = 市级单位 / city level' }), districtName: Type.String(), ...Area })),
            byAgency: Type.Array(Type.Object({ agencyCode: Type.String(), agencyName: Type.String(), districtCode: Type.Union([Type.String(), Type.Null()]), ...Figures })),
          }),
        ),
      },
    },
    async (req) => {
      const p = principalOf(req);
      // A district supervisor sees the district's agencies only (Art. 6: 司法行政部门 supervise at their level).
      if (p.district && req.query.district && req.query.district !== p.district) throw new DomainError('OUT_OF_SCOPE', '只能查看本辖区的统计');
      const district = p.district ?? req.query.district ?? null;
      return jointInspectionStats(app.services.db, req.query.year ?? shanghaiYear(app.services.clock.now()), district);
    },
  );
};

export default jointStatsRoutes;
