import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import { runCommand } from '../commands/command.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { runIdempotent } from '../http/idempotency.js';
import { Page, responses, Uuid } from '../http/schemas.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { assertMayReadNotice } from '../access/index.js';
import { answerNotice, reviewNotice, sendNotice } from './commands.js';
import { countNotices, findNamedNotice, findNotice, listNotices } from './repository.js';
import { NoticeQuery, NoticeView, noticeView, SendNoticeBody } from './schemas.js';

const IdParams = Type.Object({ id: Uuid });
const READERS = ['supervisor', 'officer', 'agency_head'] as const;

/**
 * 督办 (Art. 6 ¶2: 司法行政部门……履行行政执法监督职责): a supervisor sends a flagged agency a notice with a
 * deadline; the agency's head answers in the officers' app; the supervisor accepts the answer or returns it.
 * An answer still missing after the deadline is shown as overdue to both sides.
 */
export const supervisionNoticeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.services;
  const view = async (id: string) => {
    const today = shanghaiDate(clock.now());
    const named = await findNamedNotice(db, id);
    return noticeView(named!, today, named!.notice.answeredAt ? shanghaiDate(named!.notice.answeredAt) : null);
  };
  const refusal = (id: string) => async () => {
    const n = await findNotice(db, id);
    return n ? { subjectType: 'supervision_notice', subjectId: id, agencyCode: n.agencyCode, districtCode: n.districtCode } : null;
  };

  app.post(
    '/supervision-notices',
    {
      config: { idempotent: true, access: ['supervisor'] },
      schema: {
        tags: ['supervision'],
        summary: '就违规标记向行政执法主体发出督办，写明要求和答复期限 / send the flagged agency a supervision notice with a deadline',
        body: SendNoticeBody,
        response: responses(NoticeView, 201),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      const res = await runIdempotent(req, commandContext(req), { subjectType: 'flag', subjectId: req.body.flagId }, 201, async (tx, scope) => (await sendNotice(tx, scope, actor, req.body)).id);
      return reply.status(res.status).send(await view(res.body));
    },
  );

  app.get(
    '/supervision-notices',
    {
      config: { access: [...READERS] },
      schema: {
        tags: ['supervision'],
        summary: '督办清单：监督人员见本级，行政执法主体见本单位收到的；响应头 x-total-count 为总数 / supervision notices in scope',
        querystring: Type.Object({ ...NoticeQuery, ...Page }),
        response: responses(Type.Array(NoticeView)),
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const { limit, offset, ...filter } = req.query;
      const today = shanghaiDate(clock.now());
      const [rows, total] = await Promise.all([listNotices(db, p, filter, today, { limit, offset }), countNotices(db, p, filter, today)]);
      const items = rows.map((r) => noticeView(r, today, r.notice.answeredAt ? shanghaiDate(r.notice.answeredAt) : null));
      return reply.header('x-total-count', String(total)).send(items);
    },
  );

  app.get(
    '/supervision-notices/:id',
    {
      config: { access: [...READERS] },
      schema: { tags: ['supervision'], summary: '督办详情 / one supervision notice', params: IdParams, response: responses(NoticeView) },
    },
    async (req) => {
      const n = await findNotice(db, req.params.id);
      if (!n) throw DomainError.notFound('督办', req.params.id);
      assertMayReadNotice(principalOf(req), n);
      return view(n.id);
    },
  );

  app.post(
    '/supervision-notices/:id/answer',
    {
      config: { access: ['agency_head'] },
      schema: {
        tags: ['supervision'],
        summary: '被督办单位负责人答复督办 / the addressed agency’s head answers',
        params: IdParams,
        body: Type.Object({ answer: Type.String({ minLength: 1, maxLength: 4000, description: '答复内容 / the answer' }) }, { additionalProperties: false }),
        response: responses(NoticeView),
      },
    },
    async (req) => {
      const { id } = req.params;
      await runCommand(commandContext(req), refusal(id), (tx, scope) => answerNotice(tx, scope, principalOf(req), id, req.body.answer));
      return view(id);
    },
  );

  const review = (name: 'accept' | 'return', summary: string) =>
    app.post(
      `/supervision-notices/:id/${name}`,
      {
        config: { access: ['supervisor'] },
        schema: {
          tags: ['supervision'],
          summary,
          params: IdParams,
          body: Type.Object(
            { note: name === 'return' ? Type.String({ minLength: 1, maxLength: 2000, description: '仍需答复的内容 / what is still missing' }) : Type.Optional(Type.String({ maxLength: 2000, description: '说明 / note' })) },
            { additionalProperties: false },
          ),
          response: responses(NoticeView),
        },
      },
      async (req) => {
        const { id } = req.params as { id: string };
        const note = (req.body as { note?: string } | undefined)?.note;
        const event = name === 'accept' ? ({ type: 'ACCEPT' } as const) : ({ type: 'RETURN', note: note ?? '' } as const);
        await runCommand(commandContext(req), refusal(id), (tx, scope) => reviewNotice(tx, scope, principalOf(req), id, event, note));
        return view(id);
      },
    );
  review('accept', '办结督办（认可答复）/ accept the answer and close the notice');
  review('return', '退回答复，说明仍需答复的内容 / return the answer, saying what is missing');
};

export default supervisionNoticeRoutes;
