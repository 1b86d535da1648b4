import { proposalUnitMachine } from '../../../machines/joint-proposal-unit.machine.js';
import type { ModelSpec } from './driver.js';
import { accept, decline, getProposal, lapse, newProposal, proposalModelWorld, type ProposalWorld } from './proposal-base.js';

/**
 * The cooperating unit's answer to a proposed joint visit (Art. 28: 协同单位应当…参与): it accepts naming the
 * officers it sends, declines with a reason from the list, or lets the answer period pass.
 */
export const jointProposalUnitModel: ModelSpec<ProposalWorld, string> = {
  title: '联合检查建议的单位答复 proposal unit (第二十八条)',
  machine: proposalUnitMachine,
  starts: [{ name: 'cooperating' }],
  samples: {
    ACCEPT: [{ type: 'ACCEPT', inspectorCount: 2, isLead: false }],
    DECLINE: [{ type: 'DECLINE', isLead: false }],
    LAPSE: [{ type: 'LAPSE' }],
  },
  setup: proposalModelWorld,
  create: (t, w) => newProposal(t, w),
  read: async (t, w, row) => (await getProposal(t, w, row)).units.find((u: { role: string }) => u.role === 'cooperating').state,
  events: {
    ACCEPT: { via: 'api', send: ({ t, w, row }) => accept(t, w, row, 'cooperating') },
    DECLINE: { via: 'api', send: ({ t, w, row }) => decline(t, w, row) },
    LAPSE: {
      via: 'command',
      why: 'No request lapses a unit: the sweeper’s proposal-lapsed job marks every unit still silent when the answer period passes (src/sweeper/jobs/proposal-lapsed.ts). The driver moves this proposal’s due instant into the past and runs that job.',
      async send({ t, w, row }) {
        const unitState = async () => (await getProposal(t, w, row)).units.find((u: { role: string }) => u.role === 'cooperating').state as string;
        const proposalState = (await getProposal(t, w, row)).state as string;
        const before = await unitState();
        await lapse(t, row);
        if (before === 'pending' && proposalState === 'open') return t.call({ method: 'GET', url: `/api/v1/proposals/${row}`, as: w.supervisor });
        // A unit that answered is no longer silent (and its proposal, when closed, no candidate): it must stay.
        if ((await unitState()) !== before) throw new Error(`the lapse job moved a ${before} unit`);
        return { cannotSend: `the lapse job marks only units still silent on an open proposal; this ${before} one stayed as it was` };
      },
    },
  },
};
