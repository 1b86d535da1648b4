import { afterAll, beforeAll, beforeEach } from 'vitest';
import { newInspectionWorld, type InspectionWorld } from './inspection-world.js';
import { createTestApp, type TestApp } from './test-app.js';

/**
 * The set-up of a file whose tests read one inspection world and add to it, never changing what another test
 * relies on (test/integration/jurisdiction-letter, leads-and-reports, outcomes): one app and one world for the
 * whole file, built before its first test and closed after its last, and the clock set to `now` before every
 * test. `use` receives the app and the world once they exist, for the file's own variables:
 *
 *   let t: TestApp; let w: InspectionWorld;
 *   inspectionWorldPerFile({ cap: 50, now: '2026-04-01T10:00:00+08:00' }, (s) => ({ t, w } = s));
 *
 * Call it inside the file's describe block.
 */
export function inspectionWorldPerFile(opts: { cap?: number; now: string }, use: (s: { t: TestApp; w: InspectionWorld }) => void): void {
  let t: TestApp | undefined;
  beforeAll(async () => {
    t = await createTestApp();
    use({ t, w: await newInspectionWorld(t, { cap: opts.cap }) });
  });
  afterAll(() => t?.close());
  beforeEach(() => t?.clock.set(opts.now));
}
