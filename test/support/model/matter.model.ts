import { matterMachine } from '../../../machines/matter.machine.js';
import type { Principal } from '../../../src/auth/principal.js';
import { as, newAgency } from '../factories.js';
import type { EventDriver, ModelSpec } from './driver.js';

/** 行政检查事项清单 (Art. 7): the agency head drafts a matter version, publishes it with its date, withdraws it. */
interface World {
  agencyCode: string;
  head: Principal;
}

let serial = 0;

const step = (name: string, body: (e: Record<string, unknown>) => object): EventDriver<World, string> => ({
  via: 'api',
  send: ({ t, w, row }, e) => t.call({ method: 'POST', url: `/api/v1/matters/${row}/${name}`, as: w.head, payload: body(e) }),
});

export const matterModel: ModelSpec<World, string> = {
  title: '检查事项 matter version (第七条)',
  machine: matterMachine,
  starts: [{ name: 'draft' }],
  samples: { PUBLISH: [{ type: 'PUBLISH', effectiveFrom: '2026-04-02' }], WITHDRAW: [{ type: 'WITHDRAW' }] },
  async setup(t) {
    const agencyCode = (await newAgency(t.db)).code;
    return { agencyCode, head: as.head(agencyCode) };
  },
  async create(t, w) {
    // A matter code of its own per row, so no version of another case is superseded by this one.
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/matters',
      as: w.head,
      payload: { agencyCode: w.agencyCode, matterCode: `MODEL-${++serial}`, name: '食品生产经营监督检查', legalBasis: '《食品安全法》第一百一十条', domain: 'food', foodDrug: true },
    });
    if (res.statusCode !== 201) throw new Error(`matter: ${res.body}`);
    return res.json().id as string;
  },
  read: async (t, w, row) => (await t.call({ method: 'GET', url: `/api/v1/matters/${row}`, as: w.head })).json().state,
  events: { PUBLISH: step('publish', (e) => ({ effectiveFrom: e.effectiveFrom })), WITHDRAW: step('withdraw', () => ({})) },
};
