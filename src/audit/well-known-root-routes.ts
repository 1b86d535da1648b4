import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { responses } from '../http/schemas.js';
import { PublishedKey } from '../visits/schemas/code-schemas.js';
import { AUDIT_LOG_ID } from './checkpoint.js';
import { listCheckpoints } from './verify.js';

export const Checkpoint = Type.Object({
  seq: Type.Integer({ description: '检查点序号（连续）/ checkpoint number, gapless' }),
  chainSeq: Type.Integer({ description: '签发时的链长 / chain length when signed' }),
  headHash: Type.String({ description: '链头哈希 / head hash' }),
  signedAt: Type.String(),
  kid: Type.String(),
  alg: Type.String(),
  signature: Type.String({ description: '对规范化检查点的签名（base64url）/ signature over the canonical checkpoint' }),
  macFrom: Type.Optional(Type.Integer({ description: '自此链序号起每条须带追加认证码（签入检查点）/ the first chain position that must carry an append MAC (signed)' })),
});

/** GET /.well-known/audit-checkpoints: the signed checkpoints and the keys that verify them, for anyone to copy. */
export const auditWellKnownRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/.well-known/audit-checkpoints',
    {
      config: { access: 'public' },
      schema: {
        tags: ['audit'],
        summary: '审计日志签名检查点及验签公钥（公开，供第三方留存比对）/ the audit log’s signed checkpoints and the public keys that verify them',
        security: [],
        querystring: Type.Object({
          after: Type.Integer({ minimum: 0, maximum: 2_147_483_647, default: 0, description: '只列出此序号之后的检查点 / checkpoints after this number' }),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 1000 }),
        }),
        response: responses(
          Type.Object({ log: Type.String(), keys: Type.Array(PublishedKey), checkpoints: Type.Array(Checkpoint) }),
        ),
      },
    },
    async (req, reply) => {
      const checkpoints = await listCheckpoints(app.services.db, req.query.after, req.query.limit);
      return reply.header('cache-control', 'public, max-age=60').send({ log: AUDIT_LOG_ID, keys: app.services.keyring.publicKeys(), checkpoints });
    },
  );
};

export default auditWellKnownRoutes;
