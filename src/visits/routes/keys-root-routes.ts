import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { responses } from '../../http/schemas.js';
import { PublishedKey } from '../schemas/code-schemas.js';

/** GET /.well-known/inspection-keys: the public keys, so anyone can verify a code offline. */
export const wellKnownRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/.well-known/inspection-keys',
    {
      config: { access: 'public' },
      schema: { tags: ['codes'], summary: '检查码验签公钥 / public keys that verify inspection codes', security: [], response: responses(Type.Object({ keys: Type.Array(PublishedKey) })) },
    },
    async (_req, reply) => reply.header('cache-control', 'public, max-age=300').send({ keys: app.services.keyring.publicKeys() }),
  );
};

export default wellKnownRoutes;
