import type { ModelShape } from './graph.js';
import type { EventDriver } from './driver.js';
import { flagModel } from './flag.model.js';

/** Every machine's model, by its file name in machines/ (test/unit/model-coverage.test.ts checks the list is whole). */
export const MODELS: Record<string, ModelShape & { events: Record<string, Pick<EventDriver<unknown, unknown>, 'via' | 'why'>> }> = {
  flag: flagModel,
};
