import { inspectionMachine, type InspectionEvent, type InspectionState } from '../../machines/inspection.machine.js';
import { transitionOrRefuse } from '../commands/transition.js';
import type { Inspection } from './repository.js';

/** The kernel applied to a stored inspection: its kind and mode are the facts the machine's guards read. */
export function nextState(i: Pick<Inspection, 'state' | 'kind' | 'mode'>, event: InspectionEvent): InspectionState {
  return transitionOrRefuse(inspectionMachine, '检查', i.state, { kind: i.kind, mode: i.mode }, event) as InspectionState;
}
