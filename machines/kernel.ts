import { getNextTransitions, transition, type AnyMachineSnapshot, type AnyStateMachine, type EventFromLogic, type SnapshotFrom } from 'xstate';

/**
 * The one transition kernel every aggregate uses (issue 11). Pure: restore the machine at the state stored
 * on a row with the facts its guards read (context), ask whether the event can apply — the machine's named
 * guards decide, judging the facts the event carries — and, if so, the next state. A self-transition that
 * the machine allows (editing a draft in place) is allowed; an event no enabled transition takes is
 * refused with the events the state does accept, so the API can answer 409 with them.
 *
 * One place decides (issue 25): a machine either receives the failed rule results on its event and one
 * guard checks there are none (the plan's SUBMIT), or is a state table whose guards only check that an
 * event carries what its step records. Rules are judged by their declarations (src/rules/declarations/),
 * never recounted in a guard. Machines import nothing from src/db, src/audit or src/codes.
 */
export type Decision<M extends AnyStateMachine> =
  | { ok: true; state: string; snapshot: SnapshotFrom<M> }
  | { ok: false; state: string; allowed: string[]; refusedBy?: RuleRefusal };

/**
 * A state may say, in its `meta.refusedBy`, which rule refuses an event it does not take — e.g. the draft
 * of an on-site routine inspection refuses ISSUE_CODE by ONSITE_WITHOUT_APPROVAL (Art. 17(1)) — and under
 * which of the machine's named guards that reading holds (`when`). The kernel returns it with the refusal,
 * so the machine, not the command, decides which rule a refused event breaks.
 */
export interface RuleRefusal {
  rule: string;
  when?: string;
  limit: unknown;
  detail: string;
}

type GuardFn = (args: { context: unknown; event: unknown }) => boolean;

function ruleRefusal(machine: AnyStateMachine, state: string, context: unknown, event: { type: string }): RuleRefusal | undefined {
  const node = machine.states[state] as { meta?: { refusedBy?: Record<string, RuleRefusal> } } | undefined;
  const refusal = node?.meta?.refusedBy?.[event.type];
  if (!refusal) return undefined;
  if (!refusal.when) return refusal;
  const guard = (machine.implementations.guards as Record<string, GuardFn>)[refusal.when];
  if (!guard) throw new Error(`machine ${machine.id}: meta.refusedBy names no guard ${refusal.when}`);
  return guard({ context, event }) ? refusal : undefined;
}

export function restore<M extends AnyStateMachine>(machine: M, state: string, context: unknown): SnapshotFrom<M> {
  return machine.resolveState({ value: state, context }) as SnapshotFrom<M>;
}

export function allowedEvents(snapshot: SnapshotFrom<AnyStateMachine>): string[] {
  const events = getNextTransitions(snapshot as never).map((t: { eventType: string }) => t.eventType);
  return [...new Set(events)].filter((e) => !e.startsWith('xstate.')).sort();
}

export function decide<M extends AnyStateMachine>(machine: M, state: string, context: unknown, event: EventFromLogic<M>): Decision<M> {
  const before = restore(machine, state, context);
  if (!(before as AnyMachineSnapshot).can(event)) {
    const refusedBy = ruleRefusal(machine, state, context, event as { type: string });
    return { ok: false, state, allowed: allowedEvents(before), ...(refusedBy ? { refusedBy } : {}) };
  }
  const [after] = transition(machine, before, event);
  return { ok: true, state: String((after as AnyMachineSnapshot).value), snapshot: after };
}

/** The state a new row of this machine starts in: rows are created there, never at a state picked by hand. */
export function initialState(machine: AnyStateMachine): string {
  return String(machine.config.initial);
}
