import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import { runCommand } from '../commands/command.js';
import { DomainError } from '../errors/domain-error.js';
import { clientScope, registerClient, rotateKey, updateClient } from './client-commands.js';
import { deliveryOf, findClient, listClients, type PlatformClient, type WebhookDelivery } from './clients.repository.js';
import { formatCursor } from './cursor.js';
import { checkSubscriptionUrl } from './webhook-address.js';
import { commandContext } from '../http/context.js';
import { responses } from '../http/schemas.js';
import { ClientBody, ClientPatchBody, ClientView } from './schemas.js';

const IdParam = Type.Object({ id: Type.String({ minLength: 2, maxLength: 40, pattern: '^[a-z0-9][a-z0-9-]+$' }) });

function view(c: PlatformClient, d: WebhookDelivery | null) {
  return {
    id: c.id,
    ...clientScope(c),
    createdAt: c.createdAt.toISOString(),
    delivery: d && {
      cursor: formatCursor(d.cursor),
      delivered: d.delivered,
      failures: d.failures,
      nextAttemptAt: d.nextAttemptAt.toISOString(),
      lastStatus: d.lastStatus,
      lastError: d.lastError,
      lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
      lastDeliveredAt: d.lastDeliveredAt?.toISOString() ?? null,
    },
  };
}

/** The registry of machine clients (对接平台登记), kept by admins (Art. 8, 24, 29). */
export const platformClientRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.services.db;

  app.post(
    '/platform-clients',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['exchange'],
        summary: '登记对接平台：返回其密钥（仅此一次）/ register a platform client; its key is shown once',
        body: ClientBody,
        response: responses(Type.Object({ client: ClientView, key: Type.String(), webhookSecret: Type.Union([Type.String(), Type.Null()]) }), 201),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      if (req.body.webhookUrl) await checkSubscriptionUrl(req.body.webhookUrl, 'body.webhookUrl', app.services.config.exchange);
      const out = await runCommand(commandContext(req), { subjectType: 'platform_client', subjectId: req.body.id }, (tx, scope) => registerClient(tx, scope, actor.sub, req.body));
      return reply.status(201).send({ client: view(out.client, await deliveryOf(db(), out.client.id)), key: out.key, webhookSecret: out.webhookSecret });
    },
  );

  app.get(
    '/platform-clients',
    {
      config: { access: ['admin'] },
      schema: { tags: ['exchange'], summary: '对接平台及其推送状态 / platform clients and their delivery state', response: responses(Type.Array(ClientView)) },
    },
    async () => (await listClients(db())).map((r) => view(r.client, r.delivery)),
  );

  app.get(
    '/platform-clients/:id',
    {
      config: { access: ['admin'] },
      schema: { tags: ['exchange'], summary: '对接平台及其推送状态 / one platform client and its delivery state', params: IdParam, response: responses(ClientView) },
    },
    async (req) => {
      const c = await findClient(db(), req.params.id);
      if (!c) throw DomainError.notFound('对接平台', req.params.id);
      return view(c, await deliveryOf(db(), c.id));
    },
  );

  app.patch(
    '/platform-clients/:id',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['exchange'],
        summary: '修改对接平台的范围、推送地址或停用 / change scope, webhook or stop a client',
        params: IdParam,
        body: ClientPatchBody,
        response: responses(Type.Object({ client: ClientView, webhookSecret: Type.Union([Type.String(), Type.Null()]) })),
      },
    },
    async (req) => {
      if (req.body.webhookUrl) await checkSubscriptionUrl(req.body.webhookUrl, 'body.webhookUrl', app.services.config.exchange);
      const out = await runCommand(commandContext(req), { subjectType: 'platform_client', subjectId: req.params.id }, (tx, scope) => updateClient(tx, scope, req.params.id, req.body));
      // Stopped or sent elsewhere: its batch in flight ends now, not after its last event.
      if (req.body.active === false || req.body.webhookUrl !== undefined) app.services.webhooks.stop(req.params.id);
      return { client: view(out.client, await deliveryOf(db(), out.client.id)), webhookSecret: out.webhookSecret };
    },
  );

  app.post(
    '/platform-clients/:id/key',
    {
      config: { access: ['admin'] },
      schema: { tags: ['exchange'], summary: '更换对接平台密钥，旧密钥立即失效 / rotate the key', params: IdParam, response: responses(Type.Object({ key: Type.String() })) },
    },
    async (req) => ({ key: await runCommand(commandContext(req), { subjectType: 'platform_client', subjectId: req.params.id }, (tx, scope) => rotateKey(tx, scope, req.params.id)) }),
  );
};

export default platformClientRoutes;
