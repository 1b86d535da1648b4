import { deviceMachine } from '../../../machines/device.machine.js';
import type { Principal } from '../../../src/auth/principal.js';
import { as } from '../factories.js';
import { newInspectionWorld, type InspectionWorld } from '../inspection-world.js';
import { deviceBody, LEGAL_OK, TECHNICAL_OK } from '../referral-factories.js';
import type { EventDriver, ModelSpec } from './driver.js';

/**
 * 电子技术监控设备 (Art. 34–36). The officer registers it; the head reviews it (not the registrant, Art. 35),
 * the officer publishes its location, the head puts it into use.
 */
type World = InspectionWorld;

const step = (name: string, by: (w: World) => Principal, body: (e: Record<string, unknown>) => object): EventDriver<World, string> => ({
  via: 'api',
  send: ({ t, w, row }, e) => t.call({ method: 'POST', url: `/api/v1/devices/${row}/${name}`, as: by(w), payload: body(e) }),
});

// A failed review: one point not satisfied (the review is recorded, the device stays).
const LEGAL_FAILED = { ...LEGAL_OK, siteAndSign: { satisfied: false, note: '未设置提示标志' } };
const TECHNICAL_FAILED = { ...TECHNICAL_OK, reliableAndComplete: { satisfied: false, note: '运行记录不完整' } };

export const deviceModel: ModelSpec<World, string> = {
  title: '电子技术监控设备 device (第三十四条至第三十六条)',
  machine: deviceMachine,
  starts: [{ name: 'registered' }],
  samples: {
    LEGAL_REVIEW: [{ type: 'LEGAL_REVIEW', passed: true }, { type: 'LEGAL_REVIEW', passed: false }],
    TECHNICAL_REVIEW: [{ type: 'TECHNICAL_REVIEW', passed: true }, { type: 'TECHNICAL_REVIEW', passed: false }],
    PUBLISH: [{ type: 'PUBLISH' }],
    ACTIVATE: [{ type: 'ACTIVATE' }],
    MAINTENANCE: [{ type: 'MAINTENANCE' }],
    RETIRE: [{ type: 'RETIRE' }],
  },
  setup: (t) => newInspectionWorld(t),
  async create(t, w) {
    const res = await t.call({ method: 'POST', url: '/api/v1/devices', as: w.officer, payload: deviceBody(w) });
    if (res.statusCode !== 201) throw new Error(`device: ${res.body}`);
    return res.json().id as string;
  },
  read: async (t, w, row) => (await t.call({ method: 'GET', url: `/api/v1/devices/${row}`, as: w.officer })).json().state,
  events: {
    LEGAL_REVIEW: step('legal-review', (w) => w.head, (e) => (e.passed ? LEGAL_OK : LEGAL_FAILED)),
    TECHNICAL_REVIEW: step('technical-review', (w) => w.head, (e) => (e.passed ? TECHNICAL_OK : TECHNICAL_FAILED)),
    PUBLISH: step('publish', (w) => w.officer, () => ({ publicationRef: '武昌区市场监管局公告〔2026〕3号' })),
    ACTIVATE: step('activate', (w) => as.head(w.agency.code), () => ({})),
    MAINTENANCE: step('maintenance', (w) => w.officer, () => ({ note: '季度校准' })),
    RETIRE: step('retire', (w) => w.officer, () => ({ reason: '设备报废' })),
  },
};
