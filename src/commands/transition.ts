import type { AnyMachineSnapshot, AnyStateMachine, EventFromLogic } from 'xstate';
import { applyEvent, restore } from '../../machines/apply-event.js';
import { DomainError } from '../errors/domain-error.js';

/**
 * Applies an event to the state stored on a row, or refuses with 409 INVALID_TRANSITION naming the current
 * state and the events it accepts. Shared by every aggregate's commands (plans, special plans, and the
 * ones to come) so the refusal reads the same everywhere.
 *
 * A self-transition (editing a draft in place) is taken even though the state does not move; applyEvent
 * alone would read it as refused, so `can()` settles it.
 */
export function transitionOrRefuse<M extends AnyStateMachine>(
  machine: M,
  what: string,
  state: string,
  context: unknown,
  event: EventFromLogic<M>,
): string {
  const applied = applyEvent(machine, state, context, event);
  if (applied.ok) return applied.state;
  if ((restore(machine, state, context) as AnyMachineSnapshot).can(event)) return state;
  throw new DomainError('INVALID_TRANSITION', `${what}当前状态为 ${state}，不能执行 ${String((event as { type: string }).type)}`, {
    currentState: state,
    allowedEvents: applied.allowed,
  });
}
