import { getNextTransitions, transition, type AnyMachineSnapshot, type AnyStateMachine, type EventFromLogic, type SnapshotFrom } from 'xstate';

/**
 * The one transition kernel every aggregate uses (issue 11). Pure: restore the machine at the state stored
 * on a row with the facts its guards read (context), ask whether the event can apply — the machine's named
 * guards decide, judging the facts the event carries — and, if so, the next state. A self-transition that
 * the machine allows (editing a draft in place) is allowed; an event no enabled transition takes is
 * refused with the events the state does accept, so the API can answer 409 with them.
 */
export type Decision<M extends AnyStateMachine> =
  | { ok: true; state: string; snapshot: SnapshotFrom<M> }
  | { ok: false; state: string; allowed: string[] };

export function restore<M extends AnyStateMachine>(machine: M, state: string, context: unknown): SnapshotFrom<M> {
  return machine.resolveState({ value: state, context }) as SnapshotFrom<M>;
}

export function allowedEvents(snapshot: SnapshotFrom<AnyStateMachine>): string[] {
  const events = getNextTransitions(snapshot as never).map((t: { eventType: string }) => t.eventType);
  return [...new Set(events)].filter((e) => !e.startsWith('xstate.')).sort();
}

export function decide<M extends AnyStateMachine>(machine: M, state: string, context: unknown, event: EventFromLogic<M>): Decision<M> {
  const before = restore(machine, state, context);
  if (!(before as AnyMachineSnapshot).can(event)) return { ok: false, state, allowed: allowedEvents(before) };
  const [after] = transition(machine, before, event);
  return { ok: true, state: String((after as AnyMachineSnapshot).value), snapshot: after };
}

/** The state a new row of this machine starts in: rows are created there, never at a state picked by hand. */
export function initialState(machine: AnyStateMachine): string {
  return String(machine.config.initial);
}
