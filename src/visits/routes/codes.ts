import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../auth/plugin.js';
import { runCommand } from '../../commands/command.js';
import { DomainError } from '../../errors/domain-error.js';
import { commandContext } from '../../http/context.js';
import { responses, ShortText } from '../../http/schemas.js';
import { REVOCATION_CATEGORIES } from '../../codes/revocation.js';
import { revokeCode } from '../commands/lifecycle.js';
import { scanCode } from '../commands/scan.js';
import { inspectionRefusalSubject } from '../refusal-subject.js';
import { findCode } from '../repository.js';
import { PublishedKey } from '../schemas/code-schemas.js';
import { InspectionView, inspectionView } from '../schemas/inspection-schemas.js';

const CodeParam = Type.Object({ code: Type.String({ minLength: 4, maxLength: 40, pattern: '^[A-Za-z0-9-]+$', description: '检查码 / inspection code' }) });

const Check = Type.Object({
  code: Type.String(),
  status: Type.Union(['valid', 'not_yet_valid', 'expired', 'closed', 'revoked', 'forged', 'unknown'].map((s) => Type.Literal(s)), {
    description: 'valid 有效 | not_yet_valid 未到时间 | expired 已过期 | closed 已结束 | revoked 已撤销 | forged 伪造 | unknown 查无此码',
  }),
  statusZh: Type.String(),
  signatureChecked: Type.Boolean(),
  kind: Type.Optional(Type.String()),
  agencies: Type.Optional(Type.Array(Type.Object({ code: Type.String(), name: Type.String() }))),
  matters: Type.Optional(Type.Array(Type.Object({ code: Type.String(), name: Type.String(), legalBasis: Type.String() }))),
  enterprise: Type.Optional(Type.Object({ name: Type.String(), creditCodeMasked: Type.String() })),
  validFrom: Type.Optional(Type.String({ description: '生效时间，不早于签发时间（第十七条第（一）项）/ effective start, never before issuance' })),
  validTo: Type.Optional(Type.String()),
  validFromIssuance: Type.Optional(Type.Boolean({ description: '登记时间在签发前已开始，自签发时起生效 / valid only from issuance' })),
  validityNote: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  inspectorCount: Type.Optional(Type.Integer()),
  inspectors: Type.Optional(Type.Array(Type.Object({ name: Type.String(), certificateNo: Type.String() }))),
  teamExceptionBasis: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: '少于两人的法律依据（第十八条第（一）项）/ legal basis for fewer than two inspectors' })),
  signedMessage: Type.Optional(Type.String({ description: '签名原文（base64url），可离线验签 / the signed message, base64url, for offline verification (docs/CODE-FORMAT.md)' })),
  revokedCategory: Type.Optional(Type.Union([...REVOCATION_CATEGORIES.map((c) => Type.Literal(c)), Type.Null()], { description: '撤销类别（理由不公开）/ revocation category; the reason is internal' })),
  revokedCategoryZh: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  freshness: Type.Optional(
    Type.Object(
      { source: Type.Union([Type.Literal('replica'), Type.Literal('primary')]), asOf: Type.String({ format: 'date-time' }), lagMs: Type.Integer({ minimum: 0 }) },
      { description: '仅配置只读副本时返回：本答复所依据的数据截至时间 / with a read replica only: the answer reflects every change up to asOf' },
    ),
  ),
});


export const codeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/codes/:code',
    {
      config: { access: 'public' },
      schema: {
        tags: ['codes'],
        summary: '公开核验检查码（无需登录）/ public check of a code, no login',
        security: [],
        params: CodeParam,
        querystring: Type.Object({
          k: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: '二维码中的密钥编号 / kid from the QR' })),
          s: Type.Optional(Type.String({ maxLength: 128, pattern: '^[A-Za-z0-9_-]+$', description: '二维码中的签名 / signature from the QR' })),
        }),
        response: responses(Check),
      },
    },
    async (req, reply) => {
      const out = await app.services.codeChecks.check(req.params.code.toUpperCase(), app.services.clock.now(), { kid: req.query.k, signature: req.query.s });
      return reply.header('cache-control', 'no-store').send(out);
    },
  );

  app.post(
    '/codes/:code/scan',
    {
      config: { access: ['officer', 'agency_head', 'enterprise'] },
      schema: {
        tags: ['codes'],
        summary: '进入现场扫码（第十七条第（二）项）/ scan on entry',
        params: CodeParam,
        body: Type.Object(
          {
            location: Type.Optional(Type.String({ maxLength: 200, description: '扫码地点 / where' })),
            lateReason: Type.Optional(ShortText('超时补扫理由（紧急情况、系统故障）/ reason for a late scan', 500)),
            position: Type.Optional(
              Type.Object(
                {
                  latitude: Type.Number({ minimum: -90, maximum: 90 }),
                  longitude: Type.Number({ minimum: -180, maximum: 180 }),
                  accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
                },
                { additionalProperties: false, description: '亮码即定位：经本人同意由设备读取的扫码位置（WGS-84）/ the device position, with consent' },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: responses(Type.Object({ scanId: Type.String(), accepted: Type.Boolean(), flagged: Type.Boolean() }), 201),
      },
    },
    async (req, reply) => {
      const scanned = async () => {
        const row = await findCode(app.services.db, req.params.code.toUpperCase());
        return row ? inspectionRefusalSubject(app.services.db, row.inspectionId) : null;
      };
      const out = await runCommand(commandContext(req), scanned, (tx, scope) => scanCode(tx, scope, principalOf(req), req.params.code.toUpperCase(), req.body, app.services.inspectionHooks));
      // The refused scan and its flag are committed; now answer with the refusal — or, to a caller who is no
      // party to the code, exactly what an unknown code answers.
      if (out.concealed) throw DomainError.notFound('检查码', req.params.code.toUpperCase());
      if (out.refusal) throw new DomainError('CODE_OUTSIDE_WINDOW', out.refusal.detail ?? '', { rule: out.refusal.rule, observed: out.refusal.observed, limit: out.refusal.limit, scanId: out.scanId, flagged: out.flagged });
      return reply.status(201).send({ scanId: out.scanId, accepted: true, flagged: out.flagged });
    },
  );

  app.post(
    '/codes/:code/revoke',
    {
      config: { access: ['agency_head'] },
      schema: {
        tags: ['codes'],
        summary: '撤销检查码（负责人，须说明理由）/ revoke a code (agency head, with a reason)',
        params: CodeParam,
        body: Type.Object(
          {
            reason: ShortText('撤销理由（内部留存，不公开）/ reason, kept internal', 500),
            category: Type.Optional(
              Type.Union(REVOCATION_CATEGORIES.map((c) => Type.Literal(c)), {
                description: '公开核验显示的撤销类别，默认 other / the category the public check shows (default other)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: responses(InspectionView),
      },
    },
    async (req) => {
      const code = req.params.code.toUpperCase();
      const refusal = async () => {
        const row = await findCode(app.services.db, code);
        return row ? inspectionRefusalSubject(app.services.db, row.inspectionId) : null;
      };
      return inspectionView(await runCommand(commandContext(req), refusal, (tx, scope) => revokeCode(tx, scope, principalOf(req), code, req.body.reason, app.services.inspectionHooks, req.body.category ?? 'other')));
    },
  );
};

export default codeRoutes;
