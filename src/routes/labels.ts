import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EVENT_LABELS, STATE_LABELS } from '../../machines/labels.js';
import { ROLE_NAMES_ZH } from '../auth/principal.js';
import { responses } from '../http/schemas.js';
import { PERIOD_ZH } from '../time/periods.js';

const Names = Type.Record(Type.String(), Type.String());
const Labels = Type.Object({
  states: Type.Record(Type.String(), Names, { description: '各状态机的状态中文名（按状态机）/ state names by machine' }),
  events: Type.Record(Type.String(), Names, { description: '各状态机的操作中文名（按状态机）/ event names by machine' }),
  roles: Names,
  periods: Names,
});

// The labels change only with a release; clients may keep them for a day.
const CACHE_SECONDS = 24 * 3600;

/**
 * GET /api/v1/labels: the Chinese names of states, events, roles and periods, so clients show the same
 * words as the API's zh-CN messages instead of the identifiers. Public: the names reveal nothing.
 */
export const labelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const body = { states: STATE_LABELS, events: EVENT_LABELS, roles: ROLE_NAMES_ZH, periods: PERIOD_ZH };
  app.get(
    '/labels',
    {
      config: { access: 'public' },
      schema: { tags: ['regulation'], summary: '状态、操作、角色、期间的中文名称 / Chinese labels for states, events, roles, periods', security: [], response: responses(Labels) },
    },
    async (_req, reply) => {
      reply.header('cache-control', `public, max-age=${CACHE_SECONDS}`);
      return body;
    },
  );
};
