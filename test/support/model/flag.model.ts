import { flagMachine } from '../../../machines/flag.machine.js';
import type { Principal } from '../../../src/auth/principal.js';
import { as } from '../factories.js';
import { newFlag, newTwoDistricts, type TwoDistricts } from '../supervision-factories.js';
import type { TestApp } from '../test-app.js';
import type { EventDriver, ModelSpec } from './driver.js';

/** 违规标记 (Art. 6): raised by a detector, reviewed by the district's supervisor. */
interface World {
  d: TwoDistricts;
  supervisor: Principal;
}

const review = (name: string): EventDriver<World, string> => ({
  via: 'api',
  send: ({ t, w, row }, e) =>
    t.call({ method: 'POST', url: `/api/v1/flags/${row}/${name}`, as: w.supervisor, payload: 'note' in e ? { note: e.note } : {} }),
});

export const flagModel: ModelSpec<World, string> = {
  title: '违规标记 flag (第六条)',
  machine: flagMachine,
  starts: [{ name: 'raised' }],
  samples: {
    ACKNOWLEDGE: [{ type: 'ACKNOWLEDGE' }],
    RESOLVE: [{ type: 'RESOLVE', note: '已约谈并整改' }],
    DISMISS: [{ type: 'DISMISS', note: '误报，扫码记录已补录' }],
  },
  async setup(t: TestApp) {
    const d = await newTwoDistricts(t.db);
    return { d, supervisor: as.supervisor(d.d1.bureau.code, d.d1.code) };
  },
  // Flags are raised by detectors, never by a request: the factory raises one the way they do.
  create: (t, w) => newFlag(t.db, '2026-03-02T02:00:00Z', { rule: 'CODE_NOT_SCANNED', agencyCode: w.d.d1.agency.code, enterpriseCode: w.d.d1.enterprise.creditCode }),
  read: async (t, w, row) => (await t.call({ method: 'GET', url: `/api/v1/flags/${row}`, as: w.supervisor })).json().flag.state,
  events: { ACKNOWLEDGE: review('acknowledge'), RESOLVE: review('resolve'), DISMISS: review('dismiss') },
};
