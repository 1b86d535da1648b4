import type { AnyStateMachine, EventFromLogic } from 'xstate';
import { decide } from '../../machines/kernel.js';
import { inspectionMachine, type InspectionEvent, type InspectionState } from '../../machines/inspection.machine.js';
import { transitionOrRefuse } from '../commands/transition.js';
import { DomainError } from '../errors/domain-error.js';
import type { RuleResult } from '../rules/result.js';
import { outsideOrder } from './order-scope.js';
import type { Inspection } from './repository.js';

/**
 * The kernel for an event that carries the failed rule results (ISSUE_CODE): the machine's noRuleFailed
 * guard decides. When the state would take the event but for those failures, the refusal is the rules'
 * (422 naming each rule and article); any other refusal is the state's (409), as for every event.
 */
export function transitionOrRefuseByRules<M extends AnyStateMachine>(machine: M, what: string, state: string, context: unknown, event: EventFromLogic<M>): string {
  const failed = (event as { failed?: readonly RuleResult[] }).failed ?? [];
  if (failed.length > 0 && !decide(machine, state, context, event).ok && decide(machine, state, context, { ...event, failed: [] } as EventFromLogic<M>).ok) {
    throw DomainError.fromRules([...failed]);
  }
  return transitionOrRefuse(machine, what, state, context, event);
}

/**
 * The kernel applied to a stored inspection: its kind, its mode and whether the Order governs it at all
 * (Art. 2 ¶2, 4 ¶2: an inspection outside the Order starts on site without a code) are the facts the
 * machine's guards read.
 */
export function nextState(i: Pick<Inspection, 'state' | 'kind' | 'mode' | 'excludedRelation' | 'entityScope'>, event: InspectionEvent): InspectionState {
  return transitionOrRefuseByRules(inspectionMachine, '检查', i.state, { kind: i.kind, mode: i.mode, outsideOrder: outsideOrder(i) !== null }, event) as InspectionState;
}
