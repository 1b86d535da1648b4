import { randomUUID } from 'node:crypto';
import { inspectionMachine } from '../../../machines/inspection.machine.js';
import { draftBody, newInspectionWorld, type InspectionWorld } from '../inspection-world.js';
import { offsiteBody } from '../referral-factories.js';
import type { TestApp } from '../test-app.js';
import type { EventDriver, ModelSpec } from './driver.js';

/**
 * An inspection's life (Art. 9, 16–25), from three kinds of draft: an on-site routine scheme (approved, coded,
 * scanned), an on-site case inspection (starts without a code, may be merged into a planned task) and an
 * off-site inspection. The world's cap is lifted so the many rows a model makes are not refused by
 * FREQUENCY_CAP (test/integration/frequency.test.ts tests the cap).
 */
type World = InspectionWorld;

/** The row, and the code once one is issued (the scan names the code, not the inspection). */
interface Row {
  id: string;
  code?: string;
}

const STARTS = {
  routine: { kind: 'routine', mode: 'onsite' },
  case: { kind: 'case', mode: 'onsite' },
  offsite: { kind: 'routine', mode: 'offsite' },
} as const;

const caseFields = () => ({ kind: 'case', leadKind: 'complaint', leadRef: `TS-${randomUUID().slice(0, 8)}` });
const bodyFor = (w: World, start: string) =>
  start === 'case' ? draftBody(w, caseFields()) : start === 'offsite' ? draftBody(w, { mode: 'offsite', matterCodes: [w.offsiteMatter] }) : draftBody(w);

async function draft(t: TestApp, w: World, body: object): Promise<string> {
  const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: body });
  if (res.statusCode !== 201) throw new Error(`draft: ${res.body}`);
  return res.json().inspection.id as string;
}

const step = (name: string, by: (w: World) => typeof w.officer, body: () => object = () => ({})): EventDriver<World, Row> => ({
  via: 'api',
  send: ({ t, w, row }) => t.call({ method: 'POST', url: `/api/v1/inspections/${row.id}/${name}`, as: by(w), payload: body() }),
});

const officer = (w: World) => w.officer;
const head = (w: World) => w.head;

export const inspectionModel: ModelSpec<World, Row> = {
  title: '行政检查 inspection (第九条、第十六条至第二十五条)',
  machine: inspectionMachine,
  starts: Object.entries(STARTS).map(([name, context]) => ({ name, context })),
  samples: Object.fromEntries(
    ['APPROVE', 'ISSUE_CODE', 'SCAN', 'START', 'RECORD_FINDINGS', 'RECORD_OFFSITE', 'NOTIFY_RESULT', 'CLOSE', 'ARCHIVE', 'MERGE', 'REOPEN_FOR_APPROVAL', 'RETURN', 'CANCEL'].map((type) => [
      type,
      // ISSUE_CODE carries the issuance rules' failed results; the API sends it with none when every rule passes.
      [type === 'ISSUE_CODE' ? { type, failed: [] } : { type }],
    ]),
  ),
  setup: (t) => newInspectionWorld(t, { cap: 100_000 }),
  create: async (t, w, start) => ({ id: await draft(t, w, bodyFor(w, start)) }),
  read: async (t, w, row) => (await t.call({ method: 'GET', url: `/api/v1/inspections/${row.id}`, as: w.officer })).json().inspection.state,
  events: {
    APPROVE: step('approve', head, () => ({ note: '同意' })),
    ISSUE_CODE: {
      via: 'api',
      async send({ t, w, row }) {
        const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${row.id}/code`, as: w.officer });
        if (res.statusCode === 201) row.code = res.json().code;
        return res;
      },
    },
    SCAN: {
      via: 'api',
      // The officers' scan on entry (Art. 17(2)) moves a coded inspection (code_issued → in_progress); the enterprise's
      // own check of the code is recorded and starts nothing (test/integration/inspections-lifecycle.test.ts).
      refusedAs: (state) =>
        ['in_progress', 'findings_recorded', 'result_notified'].includes(state)
          ? { status: 201, why: 'the code is still live: a further scan (another officer, a second entry) is recorded without a transition' }
          : { status: 422, code: 'ONSITE_WITHOUT_CODE', why: 'the code is no longer live once the inspection is closed or cancelled (Art. 17(2))' },
      async send({ t, w, row }) {
        if (!row.code) return { cannotSend: 'no code has been issued: the officers have nothing to scan' };
        // In the window the code names (inspection-world.ts WINDOW), then back to where the file's clock was.
        const before = t.clock.now();
        t.clock.set('2026-04-08T10:00:00+08:00');
        try {
          return await t.call({ method: 'POST', url: `/api/v1/codes/${row.code}/scan`, as: w.officer, payload: { location: '厂区大门' } });
        } finally {
          t.clock.set(before);
        }
      },
    },
    START: step('start', officer),
    RECORD_FINDINGS: step('findings', officer, () => ({ methods: ['documents'], items: [{ item: '食品生产许可证', result: 'compliant' }], outcome: { kind: 'no_violation' } })),
    RECORD_OFFSITE: {
      via: 'command',
      why: 'An off-site inspection is drafted and recorded in one request (POST /offsite-inspections, src/offsite/record.ts): no request records an existing draft. The driver makes that request and the row becomes the inspection it recorded; any other state has no such request.',
      async send({ t, w, row, start }) {
        const state = (await inspectionModel.read(t, w, row)) as string;
        if (state !== 'draft' || start !== 'offsite') return { cannotSend: 'RECORD_OFFSITE exists only as the creation of an off-site inspection' };
        const res = await t.call({ method: 'POST', url: '/api/v1/offsite-inspections', as: w.officer, payload: offsiteBody(w) });
        if (res.statusCode < 300) row.id = res.json().inspection?.id ?? res.json().id;
        return res;
      },
    },
    NOTIFY_RESULT: step('notify-result', officer, () => ({ method: 'written' })),
    CLOSE: step('close', officer),
    ARCHIVE: step('archive', officer, () => ({ archiveRef: '武昌市监档〔2026〕88号' })),
    // The row is merged into a fresh planned (routine) draft for the same enterprise.
    MERGE: {
      via: 'api',
      async send({ t, w, row }) {
        const into = await draft(t, w, draftBody(w));
        return t.call({ method: 'POST', url: `/api/v1/inspections/${row.id}/merge`, as: w.officer, payload: { into } });
      },
    },
    REOPEN_FOR_APPROVAL: {
      via: 'command',
      why: 'Sent to an approved scheme by the merge of a case inspection that adds a matter to it (Art. 13 ¶3, src/visits/commands/merge.ts). The driver drafts such a case inspection (the off-site capable matter is the extra one) and merges it into the row. A merge reopens only an approved scheme: into a draft it adds the matter without a transition, into a coded or executed one it is refused (400 body.into), so in no other state is REOPEN_FOR_APPROVAL sent.',
      async send({ t, w, row }) {
        const state = (await inspectionModel.read(t, w, row)) as string;
        if (state !== 'approved') return { cannotSend: 'a merge reopens only an approved scheme' };
        const from = await draft(t, w, draftBody(w, { ...caseFields(), matterCodes: [w.matter, w.offsiteMatter] }));
        return t.call({ method: 'POST', url: `/api/v1/inspections/${from}/merge`, as: w.officer, payload: { into: row.id } });
      },
    },
    RETURN: step('return', head, () => ({ reason: '检查事项与检查清单不一致，请修改' })),
    CANCEL: step('cancel', officer, () => ({ reason: '企业已注销' })),
  },
};
