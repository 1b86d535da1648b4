import { applyEvent } from '../../machines/apply-event.js';
import { inspectionMachine, type InspectionEvent, INSPECTION_STATE_ZH, type InspectionState } from '../../machines/inspection.machine.js';
import { DomainError } from '../errors/domain-error.js';
import { outsideOrder } from './order-scope.js';
import type { Inspection } from './repository.js';

/** Applies an event to a stored inspection or refuses with 409, the current state and what it allows. */
export function nextState(i: Inspection, event: InspectionEvent): InspectionState {
  const applied = applyEvent(inspectionMachine, i.state, { kind: i.kind, mode: i.mode, outsideOrder: outsideOrder(i) !== null }, event);
  if (!applied.ok) {
    const zh = INSPECTION_STATE_ZH[i.state as InspectionState] ?? i.state;
    throw new DomainError('INVALID_TRANSITION', `检查当前状态为“${zh}”，不能执行 ${event.type}`, {
      currentState: i.state,
      allowedEvents: applied.allowed,
    });
  }
  return applied.state as InspectionState;
}
