import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { runCommand } from '../commands/command.js';
import { DomainError } from '../errors/domain-error.js';
import { findClient } from './clients.repository.js';
import { formatCursor, parseCursor } from './cursor.js';
import { deadLetterToRetry, listDeadLetters, moveCursor, recordRedelivery, type DeadLetter } from './dead-letters.js';
import { commandContext } from '../http/context.js';
import { responses } from '../http/schemas.js';

const IdParam = Type.Object({ id: Type.String({ minLength: 2, maxLength: 40, pattern: '^[a-z0-9][a-z0-9-]+$' }) });
const Position = Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: '事件的推送位置（游标）/ the event’s feed position' });

const DeadLetterView = Type.Object({
  position: Type.String(),
  eventId: Type.String(),
  action: Type.String(),
  attempts: Type.Integer(),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  deadAt: Type.String(),
  redeliveredAt: Type.Union([Type.String(), Type.Null()]),
});

const view = (d: DeadLetter) => ({
  position: formatCursor(d.position),
  eventId: d.eventId,
  action: d.action,
  attempts: d.attempts,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  deadAt: d.deadAt.toISOString(),
  redeliveredAt: d.redeliveredAt?.toISOString() ?? null,
});

/**
 * A subscriber's dead letters (死信) and cursor (游标), kept by the admins who keep the platform registry
 * (src/routes/platform-clients.ts): list the events set aside after WEBHOOK_MAX_ATTEMPTS failures, send one
 * again, or move the cursor.
 */
export const webhookDeadLetterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.services.db;

  app.get(
    '/platform-clients/:id/dead-letters',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['exchange'],
        summary: '对接平台的死信：多次推送失败后搁置的事件 / events set aside after repeated delivery failures',
        params: IdParam,
        querystring: Type.Object({ pending: Type.Optional(Type.Boolean({ default: false, description: '只列未重新送达的 / only those not yet redelivered' })) }),
        response: responses(Type.Array(DeadLetterView)),
      },
    },
    async (req) => {
      if (!(await findClient(db(), req.params.id))) throw DomainError.notFound('对接平台', req.params.id);
      return (await listDeadLetters(db(), req.params.id, { pending: req.query.pending ?? false })).map(view);
    },
  );

  app.post(
    '/platform-clients/:id/dead-letters/:position/retry',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['exchange'],
        summary: '重新推送一条死信（一次，不改变游标）/ send one dead letter again, once; the cursor stays',
        params: Type.Object({ id: IdParam.properties.id, position: Position }),
        response: responses(Type.Object({ delivered: Type.Boolean(), deadLetter: DeadLetterView })),
      },
    },
    async (req) => {
      const position = parseCursor(req.params.position, 'params.position');
      const { client, letter, event } = await deadLetterToRetry(db(), req.params.id, position);
      // The request goes out before the transaction, which only records its outcome.
      const attempt = await app.services.webhooks.send(client, event);
      const row = await runCommand(commandContext(req), { subjectType: 'platform_client', subjectId: client.id }, (tx, scope) => recordRedelivery(tx, scope, letter, attempt));
      return { delivered: row.redeliveredAt !== null && !attempt.error, deadLetter: view(row) };
    },
  );

  app.put(
    '/platform-clients/:id/cursor',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['exchange'],
        summary: '移动对接平台的推送游标（跳过或重发事件）/ move the subscriber’s cursor to skip or resend events',
        params: IdParam,
        body: Type.Object({ cursor: Type.String({ pattern: '^[0-9]{1,15}$', description: '已送达的最后一个事件的位置；0 为从头 / position of the last event taken; 0 is the start' }) }, { additionalProperties: false }),
        response: responses(Type.Object({ cursor: Type.String() })),
      },
    },
    async (req) => {
      const cursor = parseCursor(req.body.cursor, 'body.cursor');
      await runCommand(commandContext(req), { subjectType: 'platform_client', subjectId: req.params.id }, (tx, scope) => moveCursor(tx, scope, req.params.id, cursor));
      // A batch in flight would carry on from the old cursor: end it now.
      app.services.webhooks.stop(req.params.id);
      return { cursor: formatCursor(cursor) };
    },
  );
};

export default webhookDeadLetterRoutes;
