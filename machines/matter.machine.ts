import { setup } from 'xstate';

/**
 * A version of an inspection matter on an agency's list (行政检查事项清单, Art. 7): drafted, published with
 * the date it takes effect, withdrawn (动态管理). Only a published version covering a date may be
 * inspected on that date.
 */
export interface MatterContext {
  effectiveFrom: string | null;
}

export type MatterEvent = { type: 'PUBLISH'; effectiveFrom: string } | { type: 'WITHDRAW' };

/** A state table: its one guard checks the publication carries a date. No rule is judged here. */
export const matterMachine = setup({
  types: { context: {} as MatterContext, events: {} as MatterEvent },
  guards: {
    hasEffectiveDate: ({ event }) => event.type === 'PUBLISH' && /^\d{4}-\d{2}-\d{2}$/.test(event.effectiveFrom),
  },
}).createMachine({
  id: 'matter',
  initial: 'draft',
  context: { effectiveFrom: null },
  states: {
    draft: {
      on: {
        PUBLISH: { guard: 'hasEffectiveDate', target: 'published' },
        WITHDRAW: { target: 'withdrawn' },
      },
    },
    published: { on: { WITHDRAW: { target: 'withdrawn' } } },
    withdrawn: { type: 'final' },
  },
});
