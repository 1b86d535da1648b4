import type { AnyStateMachine, EventFromLogic } from 'xstate';
import { decide } from '../../machines/kernel.js';
import { eventLabel, stateLabel } from '../../machines/labels.js';
import { DomainError } from '../errors/domain-error.js';
import { declarationOf } from '../rules/catalog.js';

/**
 * The kernel's decision as a command sees it: the next state, or 409 INVALID_TRANSITION naming the
 * current state and the events it accepts. Every aggregate's commands use this one function, so a refusal
 * reads the same everywhere; the message names the state and the action in Chinese (machines/labels.ts),
 * the identifiers travel in `currentState` and `allowedEvents`.
 */
export function transitionOrRefuse<M extends AnyStateMachine>(
  machine: M,
  what: string,
  state: string,
  context: unknown,
  event: EventFromLogic<M>,
): string {
  const decision = decide(machine, state, context, event);
  if (decision.ok) return decision.state;
  const type = String((event as { type: string }).type);
  // What the state takes, less the event just refused (its guard said no here): never "refused, but allowed".
  const allowed = decision.allowed.filter((e) => e !== type);
  if (decision.refusedBy) {
    const { rule, limit, detail } = decision.refusedBy;
    const refused = DomainError.fromRules([declarationOf(rule).fail(state, limit, detail)]);
    // The rule's refusal carries the same identifiers as any refused transition.
    throw new DomainError(refused.code, refused.detail, { ...refused.extensions, currentState: state, allowedEvents: allowed });
  }
  throw new DomainError('INVALID_TRANSITION', `${what}当前状态为“${stateLabel(machine.id, state)}”，不能${eventLabel(machine.id, type)}`, {
    currentState: state,
    allowedEvents: allowed,
  });
}
