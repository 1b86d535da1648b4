import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EVENT_LABELS, STATE_LABELS } from '../../machines/labels.js';
import { ROLE_NAMES_ZH } from '../auth/principal.js';
import { responses } from '../http/schemas.js';
import { AUDIT_ACTION_ZH, AUDIT_SUBJECT_ZH } from '../audit/action-labels.js';
import { DECLINE_REASONS } from '../proposals/decline-reasons.js';
import { articlesLabel } from '../rules/article.js';
import { RULES } from '../rules/catalog.js';
import { PERIOD_ZH } from '../time/periods.js';
import { ESCALATION_GROUND_ZH, ITEM_RESULT_ZH, KIND_ZH, LEAD_KIND_ZH, METHOD_ZH, MODE_ZH, NOTIFY_METHOD_ZH } from '../visits/terms-zh.js';
import { OUTCOME_KIND_ZH as OUTCOME_ZH } from '../visits/outcome.js';

const Names = Type.Record(Type.String(), Type.String());
const Labels = Type.Object({
  states: Type.Record(Type.String(), Names, { description: '各状态机的状态中文名（按状态机）/ state names by machine' }),
  events: Type.Record(Type.String(), Names, { description: '各状态机的操作中文名（按状态机）/ event names by machine' }),
  roles: Names,
  periods: Names,
  kinds: Names,
  modes: Names,
  outcomes: Names,
  methods: Names,
  itemResults: Names,
  leadKinds: Names,
  notifyMethods: Names,
  escalationGrounds: Names,
  auditActions: Type.Optional(Names),
  auditSubjects: Type.Optional(Names),
  proposalDeclineReasons: Type.Optional(Type.Record(Type.String(), Type.String(), { description: '协同单位拒绝联合检查建议可选的理由（第二十八条）/ the listed reasons for declining a proposal' })),
  rules: Type.Optional(Type.Record(Type.String(), Names, { description: '规则的中文标题与所依据的条款（按规则编号）/ rule titles and articles by rule id' })),
});

// The labels change only with a release; clients may keep them for a day.
const CACHE_SECONDS = 24 * 3600;

/**
 * GET /api/v1/labels: the Chinese names of states, events, roles and periods, so clients show the same
 * words as the API's zh-CN messages instead of the identifiers. Public: the names reveal nothing.
 */
export const labelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const body = {
    states: STATE_LABELS,
    events: EVENT_LABELS,
    roles: ROLE_NAMES_ZH,
    periods: PERIOD_ZH,
    kinds: KIND_ZH,
    modes: MODE_ZH,
    outcomes: OUTCOME_ZH,
    methods: METHOD_ZH,
    itemResults: ITEM_RESULT_ZH,
    leadKinds: LEAD_KIND_ZH,
    notifyMethods: NOTIFY_METHOD_ZH,
    escalationGrounds: ESCALATION_GROUND_ZH,
    auditActions: AUDIT_ACTION_ZH,
    auditSubjects: AUDIT_SUBJECT_ZH,
    // A cooperating unit declines a proposed joint visit with one of these (the officers' app offers them as a list).
    proposalDeclineReasons: DECLINE_REASONS,
    // Screens name a rule by its title and article, never by its id (issue 24).
    rules: Object.fromEntries(RULES.map((r) => [r.id, { title: r.titleZh, article: articlesLabel(r.articles) }])),
  };
  app.get(
    '/labels',
    {
      config: { access: 'public' },
      schema: { tags: ['regulation'], summary: '状态、操作、角色、期间、检查种类与处理结果的中文名称 / Chinese labels for states, events, roles, periods, kinds, outcomes', security: [], response: responses(Labels) },
    },
    async (_req, reply) => {
      reply.header('cache-control', `public, max-age=${CACHE_SECONDS}`);
      return body;
    },
  );
};

export default labelRoutes;
