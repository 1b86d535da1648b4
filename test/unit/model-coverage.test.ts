import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definedTransitions, planModel } from '../support/model/graph.js';
import { MODELS } from '../support/model/index.js';

/**
 * Issue 25: the model-based tests (test/integration/model/) cover every transition of every machine. A machine
 * file without a model, a transition no sample event takes from a reachable state, or an event with no
 * request to send it fails here, so a new transition cannot land without its model test.
 */
describe('model-based tests cover every machine', () => {
  it('has a model for every machine in machines/', () => {
    const files = readdirSync(new URL('../../machines/', import.meta.url)).filter((f) => f.endsWith('.machine.ts'));
    const ids = Object.values(MODELS).map((m) => m.machine.id);
    expect(files.length).toBeGreaterThan(0);
    expect(Object.keys(MODELS).sort()).toEqual(files.map((f) => f.replace('.machine.ts', '')).sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const [name, model] of Object.entries(MODELS)) {
    it(`${name}: every transition is driven, every event has a request`, () => {
      const plan = planModel(model);
      expect(definedTransitions(model.machine).length).toBeGreaterThan(0);
      expect(plan.uncovered.map((t) => t.key)).toEqual([]);
      const events = new Set(definedTransitions(model.machine).map((t) => t.event));
      expect([...events].filter((e) => !model.events[e]).sort()).toEqual([]);
      for (const [type, d] of Object.entries(model.events)) {
        if (d.via !== 'api') expect(d.why, `${name}.${type}: an event not sent by its own request says why`).toBeTruthy();
      }
    });
  }
});
