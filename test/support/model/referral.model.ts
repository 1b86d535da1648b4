import { referralMachine } from '../../../machines/referral.machine.js';
import type { Principal } from '../../../src/auth/principal.js';
import type { Agency } from '../../../src/registry/agencies.repository.js';
import { as } from '../factories.js';
import { newInspectionWorld, type InspectionWorld } from '../inspection-world.js';
import { newCompetentAgency, referralBody } from '../referral-factories.js';
import type { TestApp } from '../test-app.js';
import type { EventDriver, ModelSpec } from './driver.js';

/**
 * 移送 (Art. 23): the finding agency opens and sends it; the competent agency (an environment bureau) receives,
 * accepts, refuses or escalates it; a head transfers a suspected crime.
 */
interface World extends InspectionWorld {
  env: Agency;
}

const stateOf = async (t: TestApp, w: World, id: string) => (await t.call({ method: 'GET', url: `/api/v1/referrals/${id}`, as: w.officer })).json().state as string;

const step = (name: string, by: (w: World, state: string) => Principal, body: (e: Record<string, unknown>, w: World) => object): EventDriver<World, string> => ({
  via: 'api',
  send: async ({ t, w, row }, e) => t.call({ method: 'POST', url: `/api/v1/referrals/${row}/${name}`, as: by(w, await stateOf(t, w, row)), payload: body(e, w) }),
});

const competent = (w: World) => as.officer(w.env.code);

export const referralModel: ModelSpec<World, string> = {
  title: '移送 referral (第二十三条)',
  machine: referralMachine,
  starts: [{ name: 'opened' }],
  samples: {
    SEND: [{ type: 'SEND' }],
    RECEIVE: [{ type: 'RECEIVE' }],
    ACCEPT: [{ type: 'ACCEPT' }],
    REFUSE: [{ type: 'REFUSE', reason: '焚烧行为发生在厂区内，应由市场监管部门处理' }],
    ESCALATE: [{ type: 'ESCALATE', superiorAgencyCode: 'city', ground: '市场监管与生态环境职责交叉，报请共同上级指定管辖' }],
    CRIME_TRANSFER: [{ type: 'CRIME_TRANSFER', documentNo: '武昌市监移〔2026〕7号', receivingOrgan: '武汉市公安局武昌区分局' }],
  },
  async setup(t) {
    const w = await newInspectionWorld(t);
    return { ...w, env: await newCompetentAgency(t.db, w) };
  },
  async create(t, w) {
    const res = await t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, w.env.code) });
    if (res.statusCode !== 201) throw new Error(`referral: ${res.body}`);
    return res.json().id as string;
  },
  read: (t, w, row) => stateOf(t, w, row),
  events: {
    SEND: step('send', (w) => w.officer, () => ({ note: '已通过平台移送' })),
    RECEIVE: step('receive', competent, () => ({})),
    ACCEPT: step('accept', competent, () => ({ acceptanceRef: '武昌环立〔2026〕55号' })),
    // The machine takes REFUSE (the refusal is recorded) and the API answers it as the breach it is.
    REFUSE: { ...step('refuse', competent, (e) => ({ reason: e.reason })), answers: { status: 422, code: 'REFERRAL_REFUSED' } },
    ESCALATE: step('escalate', competent, (e, w) => ({ superiorAgencyCode: w.city.code, ground: e.ground })),
    // Before sending, the finding agency's head transfers; once accepted, the competent agency's head does.
    CRIME_TRANSFER: step('crime-transfer', (w, state) => (state === 'accepted' ? as.head(w.env.code) : w.head), (e) => ({ documentNo: e.documentNo, receivingOrgan: e.receivingOrgan })),
  },
};
