import { supervisionNoticeMachine } from '../../../machines/supervision-notice.machine.js';
import type { Principal } from '../../../src/auth/principal.js';
import { as } from '../factories.js';
import { newFlag, newTwoDistricts, type TwoDistricts } from '../supervision-factories.js';
import type { EventDriver, ModelSpec } from './driver.js';

/** 督办 (Art. 6 ¶2): a supervisor sends it on a flag, the agency's head answers, the supervisor accepts or returns. */
interface World {
  d: TwoDistricts;
  supervisor: Principal;
  head: Principal;
}

const post = (name: string, by: (w: World) => Principal, body: (e: Record<string, unknown>) => object): EventDriver<World, string> => ({
  via: 'api',
  send: ({ t, w, row }, e) => t.call({ method: 'POST', url: `/api/v1/supervision-notices/${row}/${name}`, as: by(w), payload: body(e) }),
});

export const supervisionNoticeModel: ModelSpec<World, string> = {
  title: '督办 supervision notice (第六条第二款)',
  machine: supervisionNoticeMachine,
  starts: [{ name: 'sent' }],
  samples: {
    ANSWER: [{ type: 'ANSWER', answer: '已整改并补录扫码记录' }],
    ACCEPT: [{ type: 'ACCEPT' }],
    RETURN: [{ type: 'RETURN', note: '请附整改凭证' }],
  },
  async setup(t) {
    const d = await newTwoDistricts(t.db);
    return { d, supervisor: as.supervisor(d.d1.bureau.code, d.d1.code), head: as.head(d.d1.agency.code) };
  },
  async create(t, w) {
    const flagId = await newFlag(t.db, '2026-03-30T02:00:00Z', { rule: 'CODE_NOT_SCANNED', agencyCode: w.d.d1.agency.code, enterpriseCode: w.d.d1.enterprise.creditCode });
    const res = await t.call({ method: 'POST', url: '/api/v1/supervision-notices', as: w.supervisor, payload: { flagId, dueDate: '2026-04-10', request: '请说明未扫码登记的原因并整改' } });
    if (res.statusCode !== 201) throw new Error(`notice: ${res.body}`);
    return res.json().id as string;
  },
  read: async (t, w, row) => (await t.call({ method: 'GET', url: `/api/v1/supervision-notices/${row}`, as: w.supervisor })).json().state,
  events: {
    ANSWER: post('answer', (w) => w.head, (e) => ({ answer: e.answer })),
    ACCEPT: post('accept', (w) => w.supervisor, () => ({})),
    RETURN: post('return', (w) => w.supervisor, (e) => ({ note: e.note })),
  },
};
