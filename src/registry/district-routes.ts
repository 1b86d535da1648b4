import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PERSON_ROLES } from '../auth/principal.js';
import { runCommand } from '../commands/command.js';
import { isUniqueViolation } from '../db/errors.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { DistrictCode, responses, ShortText } from '../http/schemas.js';
import { insertDistrict, listDistricts } from './districts.repository.js';

const District = Type.Object({
  code: DistrictCode,
  name: ShortText('名称 / name', 50),
  kind: Type.Union([Type.Literal('administrative'), Type.Literal('functional'), Type.Literal('outside')], {
    description: 'administrative 行政区 | functional 功能区 | outside 武汉市以外的行政区划（第十二条异地检查；代码为六位行政区划代码）',
  }),
  sort: Type.Integer({ minimum: 0, maximum: 1000, default: 0 }),
});

export const districtRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/districts',
    {
      config: { access: PERSON_ROLES },
      schema: { tags: ['registry'], summary: '行政区与功能区 / districts and functional zones', response: responses(Type.Array(District)) },
    },
    async () => listDistricts(app.services.db),
  );

  app.post(
    '/districts',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['registry'],
        summary: '新增行政区 / add a district',
        body: Type.Object({ ...District.properties }, { additionalProperties: false }),
        response: responses(District, 201),
      },
    },
    async (req, reply) => {
      const body = req.body;
      // Art. 12: a division beyond Wuhan is named by its GB/T 2260 code, which must not be Wuhan's own (4201xx).
      if (body.kind === 'outside' && (!/^\d{6}$/.test(body.code) || body.code.startsWith('4201'))) {
        throw DomainError.field('body.code', '武汉市以外的行政区划须填写六位行政区划代码，且不得为武汉市（4201）的代码');
      }
      const row = await runCommand(commandContext(req), { subjectType: 'district', subjectId: body.code, districtCode: body.code }, async (tx, { audit }) => {
        try {
          await insertDistrict(tx, body);
        } catch (err) {
          if (isUniqueViolation(err)) throw new DomainError('ALREADY_EXISTS', `行政区 ${body.code} 已存在`);
          throw err;
        }
        await audit({ action: 'district.created', subjectType: 'district', subjectId: body.code, districtCode: body.code, payload: body });
        return body;
      });
      return reply.status(201).send(row);
    },
  );
};

export default districtRoutes;
