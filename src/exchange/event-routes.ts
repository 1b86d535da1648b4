import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sealPending } from '../audit/sealer.js';
import { principalOf } from '../auth/plugin.js';
import { activeClientOf } from './clients.repository.js';
import { toCloudEvent } from './cloud-event.js';
import { formatCursor, parseCursor } from './cursor.js';
import { readFeed } from './feed.js';
import { responses } from '../http/schemas.js';
import { CloudEventSchema } from './schemas.js';

/** The pull feed (拉取接口) of every recorded change in the calling platform's scope (Art. 8, 29). */
export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/events',
    {
      config: { access: ['platform'] },
      schema: {
        tags: ['exchange'],
        summary: '事件拉取：从上次的游标继续，不漏不重 / pull events after a cursor (CloudEvents JSON)',
        querystring: Type.Object(
          {
            after: Type.Optional(Type.String({ maxLength: 40, description: '上一页返回的 next 游标；省略为从头 / the previous page’s next cursor; omitted = from the start' })),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: responses(
          Type.Object({
            events: Type.Array(CloudEventSchema),
            next: Type.String({ description: '下次请求的游标 / cursor for the next request' }),
          }),
        ),
      },
    },
    async (req) => {
      const client = await activeClientOf(app.services.db, principalOf(req));
      const after = parseCursor(req.query.after);
      // Seal what has committed so far (a no-op when another instance is sealing), so a reader need not wait a tick.
      await sealPending(app.services.db, app.services.clock);
      const rows = await readFeed(app.services.db, { eventTypes: client.eventTypes, agencies: client.agencies }, after, req.query.limit);
      return {
        events: rows.map((r) => toCloudEvent(r, app.services.config.exchange.eventSource)),
        next: formatCursor(rows.at(-1)?.position ?? after),
      };
    },
  );
};

export default eventRoutes;
