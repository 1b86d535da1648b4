import { setup } from 'xstate';

/**
 * A violation flag under the supervisors' review (Art. 6: 司法行政部门履行行政执法监督职责). A detector
 * raises it `open`; a supervisor acknowledges it (审阅确认), then resolves it once the agency has put it
 * right (已整改), or dismisses it with a reason (不予认定) — a false alarm may be dismissed straight away.
 * Resolving and dismissing both say why, so the register explains every closed flag.
 */
export type FlagState = 'open' | 'acknowledged' | 'resolved' | 'dismissed';

export type FlagEvent = { type: 'ACKNOWLEDGE' } | { type: 'RESOLVE'; note: string } | { type: 'DISMISS'; note: string };

const hasText = (s: string) => s.trim().length > 0;

/** A state table: its guards check a resolution or a dismissal says why. No rule is judged here. */
export const flagMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as FlagEvent },
  guards: {
    /** How the agency put it right, for whoever reads the register next. */
    hasResolutionNote: ({ event }) => event.type === 'RESOLVE' && hasText(event.note),
    /** Why the flag does not stand. */
    hasDismissalReason: ({ event }) => event.type === 'DISMISS' && hasText(event.note),
  },
}).createMachine({
  id: 'flag',
  initial: 'open',
  context: {},
  states: {
    open: {
      on: {
        ACKNOWLEDGE: { target: 'acknowledged' },
        DISMISS: { guard: 'hasDismissalReason', target: 'dismissed' },
      },
    },
    acknowledged: {
      on: {
        RESOLVE: { guard: 'hasResolutionNote', target: 'resolved' },
        DISMISS: { guard: 'hasDismissalReason', target: 'dismissed' },
      },
    },
    resolved: { type: 'final' },
    dismissed: { type: 'final' },
  },
});

export const FLAG_STATE_ZH: Record<FlagState, string> = {
  open: '待处理',
  acknowledged: '已确认',
  resolved: '已整改',
  dismissed: '不予认定',
};
