import { getNextTransitions, transition, type AnyMachineSnapshot, type AnyStateMachine, type EventFromLogic, type SnapshotFrom } from 'xstate';

/**
 * Pure helper shared by every machine: restore a snapshot from the state stored on a row, apply one
 * event, and say whether it was taken. A refused event reports the current state and the events that
 * state accepts, so the API can answer 409 with them.
 */
export type Applied<M extends AnyStateMachine> =
  | { ok: true; state: string; snapshot: SnapshotFrom<M> }
  | { ok: false; state: string; allowed: string[] };

export function restore<M extends AnyStateMachine>(machine: M, state: string, context: unknown): SnapshotFrom<M> {
  return machine.resolveState({ value: state, context }) as SnapshotFrom<M>;
}

export function allowedEvents(snapshot: SnapshotFrom<AnyStateMachine>): string[] {
  const events = getNextTransitions(snapshot as never).map((t: { eventType: string }) => t.eventType);
  return [...new Set(events)].filter((e) => !e.startsWith('xstate.')).sort();
}

export function applyEvent<M extends AnyStateMachine>(
  machine: M,
  state: string,
  context: unknown,
  event: EventFromLogic<M>,
): Applied<M> {
  const before = restore(machine, state, context);
  const [afterSnap] = transition(machine, before, event);
  const after = afterSnap as AnyMachineSnapshot;
  const prior = before as AnyMachineSnapshot;
  const moved = after.value !== prior.value || after.context !== prior.context;
  // A self-transition that changes nothing means no transition was enabled (or its guard said no).
  if (!moved) return { ok: false, state, allowed: allowedEvents(before) };
  return { ok: true, state: String(after.value), snapshot: afterSnap };
}
