import { jointProposalMachine } from '../../../machines/joint-proposal.machine.js';
import type { ModelSpec } from './driver.js';
import { accept, decline, getProposal, lapse, newProposal, proposalModelWorld, type ProposalWorld } from './proposal-base.js';

type Unit = { agencyCode: string; role: 'lead' | 'cooperating'; state: string };

/**
 * A proposed joint visit (Art. 26–28): open while its two units (the list's lead, the cooperating unit)
 * answer; launched as one joint task when both accept; declined when the cooperating unit declines; lapsed
 * when the answer period passes.
 */
export const jointProposalModel: ModelSpec<ProposalWorld, string> = {
  title: '联合检查建议 joint proposal (第二十六条至第二十八条)',
  machine: jointProposalMachine,
  starts: [{ name: 'open' }],
  samples: {
    UNIT_ANSWERED: [
      { type: 'UNIT_ANSWERED', pending: 1, taking: 2 },
      { type: 'UNIT_ANSWERED', pending: 0, taking: 2 },
      { type: 'UNIT_ANSWERED', pending: 1, taking: 1 },
    ],
    LAPSE: [{ type: 'LAPSE', pastDue: true }],
  },
  setup: proposalModelWorld,
  create: (t, w) => newProposal(t, w),
  read: async (t, w, row) => (await getProposal(t, w, row)).state,
  events: {
    UNIT_ANSWERED: {
      via: 'command',
      why: 'The proposal hears UNIT_ANSWERED, with the units still pending and still taking part, from each unit head’s accept or decline request (src/proposals/answer.ts). The driver sends the unit requests that leave those counts: the lead’s acceptance (one pending), every pending unit’s acceptance (none pending), or the cooperating unit’s decline (one taking part).',
      async send({ t, w, row }, e) {
        const ev = e as unknown as { pending: number; taking: number };
        const units = (await getProposal(t, w, row)).units as Unit[];
        const pending = units.filter((u) => u.state === 'pending');
        if (ev.taking < 2) return decline(t, w, row);
        if (ev.pending === 0) {
          // Every unit answers: in a final state the first request is refused and nothing else is sent.
          const order = pending.length ? pending : units;
          let last = await accept(t, w, row, order[0]!.role);
          for (const u of order.slice(1)) if (last.statusCode < 300) last = await accept(t, w, row, u.role);
          return last;
        }
        return accept(t, w, row, (pending.find((u) => u.role === 'lead') ?? pending[0] ?? units[0]!).role);
      },
    },
    LAPSE: {
      via: 'command',
      why: 'No request lapses a proposal: the sweeper’s proposal-lapsed job does once the answer period has passed (src/sweeper/jobs/proposal-lapsed.ts). The driver moves this proposal’s due instant into the past and runs that job.',
      async send({ t, w, row }) {
        const before = (await getProposal(t, w, row)).state as string;
        await lapse(t, row);
        const after = await t.call({ method: 'GET', url: `/api/v1/proposals/${row}`, as: w.supervisor });
        if (before === 'open') return after;
        // A launched, declined or lapsed proposal is no candidate of the lapse job: it must stay as it was.
        if (after.json().state !== before) throw new Error(`the lapse job moved a ${before} proposal to ${after.json().state}`);
        return { cannotSend: `the lapse job selects only open proposals; this ${before} one stayed as it was` };
      },
    },
  },
};
