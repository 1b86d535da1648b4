import { inspectionMachine, type InspectionEvent, type InspectionState } from '../../machines/inspection.machine.js';
import { transitionOrRefuse } from '../commands/transition.js';
import { outsideOrder } from './order-scope.js';
import type { Inspection } from './repository.js';

/**
 * The kernel applied to a stored inspection: its kind, its mode and whether the Order governs it at all
 * (Art. 2 ¶2, 4 ¶2: an inspection outside the Order starts on site without a code) are the facts the
 * machine's guards read.
 */
export function nextState(i: Pick<Inspection, 'state' | 'kind' | 'mode' | 'excludedRelation' | 'entityScope'>, event: InspectionEvent): InspectionState {
  return transitionOrRefuse(inspectionMachine, '检查', i.state, { kind: i.kind, mode: i.mode, outsideOrder: outsideOrder(i) !== null }, event) as InspectionState;
}
