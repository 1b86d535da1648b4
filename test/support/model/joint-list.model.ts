import { jointListMachine } from '../../../machines/joint-list.machine.js';
import type { Principal } from '../../../src/auth/principal.js';
import { as } from '../factories.js';
import { listBody, newJointWorld, restaurantEntry, type JointWorld } from '../joint-world.js';
import type { TestApp } from '../test-app.js';
import type { EventDriver, ModelSpec } from './driver.js';

/**
 * “综合查一次”事项清单 (Art. 27): the lead authority's head proposes, edits, records the government's approval,
 * publishes and amends it; the district justice bureau reviews it.
 */
interface World extends JointWorld {
  head: Principal;
}

// Read as the proposing head: a version not yet published is not the public's to see.
const stateOf = async (t: TestApp, w: World, id: string) => (await t.call({ method: 'GET', url: `/api/v1/joint-lists/${id}`, as: w.head })).json().state as string;

const step = (name: string, by: (w: World) => Principal, body: (e: Record<string, unknown>, w: World) => object = () => ({})): EventDriver<World, string> => ({
  via: 'api',
  send: ({ t, w, row }, e) => t.call({ method: 'POST', url: `/api/v1/joint-lists/${row}/${name}`, as: by(w), payload: body(e, w) }),
});

const amendBody = (w: World, reason: unknown) => ({ ...listBody(w), entries: [{ ...restaurantEntry(w), name: '餐饮服务单位“综合查一次”（调整）' }], reason });

export const jointListModel: ModelSpec<World, string> = {
  title: '“综合查一次”事项清单 joint list (第二十七条)',
  machine: jointListMachine,
  starts: [{ name: 'proposed' }],
  samples: {
    EDIT: [{ type: 'EDIT' }],
    REVIEW_PASS: [{ type: 'REVIEW_PASS', opinion: '审核通过' }],
    REVIEW_RETURN: [{ type: 'REVIEW_RETURN', reason: '检查标准表述不一致，请统一' }],
    APPROVE: [{ type: 'APPROVE', approverName: '武昌区人民政府', approvalDocNo: '武昌政〔2026〕8号' }],
    PUBLISH: [{ type: 'PUBLISH' }],
    AMEND: [{ type: 'AMEND', reason: '增加空气质量检查标准' }],
    SUPERSEDE: [{ type: 'SUPERSEDE' }],
  },
  async setup(t) {
    const w = await newJointWorld(t);
    return { ...w, head: as.head(w.market.code) };
  },
  async create(t, w) {
    const res = await t.call({ method: 'POST', url: '/api/v1/joint-lists', as: w.head, payload: listBody(w) });
    if (res.statusCode !== 201) throw new Error(`joint list: ${res.body}`);
    return res.json().id as string;
  },
  read: (t, w, row) => stateOf(t, w, row),
  events: {
    EDIT: { via: 'api', send: ({ t, w, row }) => t.call({ method: 'PATCH', url: `/api/v1/joint-lists/${row}`, as: w.head, payload: { title: '武昌区“综合查一次”事项清单（2026年，修改稿）' } }) },
    REVIEW_PASS: step('review', (w) => w.supervisor, (e) => ({ decision: 'pass', opinion: e.opinion })),
    REVIEW_RETURN: step('review', (w) => w.supervisor, (e) => ({ decision: 'return', opinion: e.reason })),
    APPROVE: step('approve', (w) => w.head, (e) => ({ approverName: e.approverName, approvalDocNo: e.approvalDocNo })),
    PUBLISH: step('publish', (w) => w.head),
    // The published version stays in force; the amendment is a new version (a row of its own) beside it.
    AMEND: step('amend', (w) => w.head, (e, w) => amendBody(w, e.reason)),
    SUPERSEDE: {
      via: 'command',
      why: 'No request supersedes a version: publishing its amendment does (POST /joint-lists/{new}/publish). The driver amends the row, has the new version reviewed, approved and published, and the row is then superseded. A version that is not published cannot be amended, so there is nothing to supersede it with.',
      async send({ t, w, row }) {
        if ((await stateOf(t, w, row)) !== 'published') return { cannotSend: 'only a published version is amended, and only its published amendment supersedes it' };
        const amended = await t.call({ method: 'POST', url: `/api/v1/joint-lists/${row}/amend`, as: w.head, payload: amendBody(w, '增加空气质量检查标准') });
        if (amended.statusCode !== 201 && amended.statusCode !== 200) return amended;
        const v2 = amended.json().id as string;
        await t.call({ method: 'POST', url: `/api/v1/joint-lists/${v2}/review`, as: w.supervisor, payload: { decision: 'pass', opinion: '同意' } });
        await t.call({ method: 'POST', url: `/api/v1/joint-lists/${v2}/approve`, as: w.head, payload: { approverName: '武昌区人民政府', approvalDocNo: '武昌政〔2026〕15号' } });
        return t.call({ method: 'POST', url: `/api/v1/joint-lists/${v2}/publish`, as: w.head, payload: {} });
      },
    },
  },
};
