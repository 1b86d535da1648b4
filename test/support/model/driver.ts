import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestApp } from '../test-app.js';
import { createTestApp } from '../test-app.js';
import { describeDb } from '../test-database.js';
import { planModel, type ModelEvent, type ModelShape, type StatePath } from './graph.js';

/**
 * The API half of the model-based tests (issue 25). A model file gives, per machine, how to make a fresh row
 * at the initial state, how to read its state back through the API, and per event type the request that
 * sends it. `describeModel` then drives, on one app and database per file and a fresh row per case:
 *
 *   - for every branch of every transition, the shortest path (@xstate/graph) to its source state, then the
 *     event, and reads the state the machine says it leads to;
 *   - for every reachable state, every event it does not take: refused with 409 INVALID_TRANSITION, or 422
 *     with the rule the state's meta.refusedBy names, and the row stays where it was.
 */

/** What an event's sender answers: the response, or why this event cannot even be asked for in this state. */
export type Sent = LightMyRequestResponse | { cannotSend: string };

export interface EventDriver<W, R> {
  /**
   * 'api': one request. 'command': the event is internal — the machine receives it from a command that another
   * request runs (the driver makes that request, or calls the command the route would), `why` says which.
   */
  via: 'api' | 'command';
  why?: string;
  send(ctx: { t: TestApp; w: W; row: R; start: string }, event: ModelEvent): Promise<Sent>;
  /**
   * A transition the machine takes that the API nonetheless answers as a refusal (a referral's REFUSE: recorded,
   * answered 422 REFERRAL_REFUSED, the referral stays): the status and code it answers when taken.
   */
  answers?: { status: number; code: string };
  /**
   * How the API answers this event in a state whose machine does not take it, when that is not 409
   * INVALID_TRANSITION: a rule refusal decided before the machine, or a record kept without a transition (an
   * enterprise's second scan). `why` says which; the row must still stay where it was.
   */
  refusedAs?: (state: string) => { status: number; code?: string; why: string } | undefined;
}

export interface ModelSpec<W, R> extends ModelShape {
  title: string;
  setup(t: TestApp): Promise<W>;
  create(t: TestApp, w: W, start: string): Promise<R>;
  /** The row's state as the API shows it. */
  read(t: TestApp, w: W, row: R): Promise<string>;
  events: Record<string, EventDriver<W, R>>;
}

const describeEvent = (e: { type: string }) => {
  const { type, ...rest } = e;
  return Object.keys(rest).length ? `${type} ${JSON.stringify(rest)}` : type;
};

function ok(res: Sent, what: string): LightMyRequestResponse {
  if ('cannotSend' in res) throw new Error(`${what}: cannot send (${res.cannotSend})`);
  if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res;
}

/** A case walks a whole path (a joint task: ten requests and two signed codes); on a loaded machine that outlasts 30 s. */
const CASE_TIMEOUT = 120_000;

export function describeModel<W, R>(spec: ModelSpec<W, R>): void {
  const plan = planModel(spec);

  describeDb(`model: ${spec.title}`, () => {
    let t: TestApp;
    let w: W;
    // A world of several agencies (and, for the joint models, a published list) can outlast the default hook
    // timeout on a loaded machine.
    beforeAll(async () => {
      t = await createTestApp();
      w = await spec.setup(t);
    }, 180_000);
    afterAll(() => t.close());

    async function walk(path: StatePath): Promise<R> {
      const row = await spec.create(t, w, path.start);
      for (const step of path.steps) {
        ok(await spec.events[step.event.type]!.send({ t, w, row, start: path.start }, step.event), `path to ${path.state}: ${describeEvent(step.event)}`);
        expect(await spec.read(t, w, row), `path to ${path.state}: after ${describeEvent(step.event)}`).toBe(step.state);
      }
      return row;
    }

    it('covers every transition the machine defines', () => {
      expect(plan.uncovered.map((u) => u.key)).toEqual([]);
    });

    for (const c of plan.transitions) {
      it(`[${c.path.start}] ${c.transition.key}${c.transition.guard ? ` [${c.transition.guard}]` : ''}`, async () => {
        const row = await walk(c.path);
        const driver = spec.events[c.event.type]!;
        const sent = await driver.send({ t, w, row, start: c.path.start }, c.event);
        if (driver.answers) {
          if ('cannotSend' in sent) throw new Error(sent.cannotSend);
          expect({ status: sent.statusCode, code: sent.json().code }).toEqual(driver.answers);
        } else ok(sent, describeEvent(c.event));
        expect(await spec.read(t, w, row)).toBe(c.expected);
      }, CASE_TIMEOUT);
    }

    const byState = new Map<string, typeof plan.refusals>();
    for (const r of plan.refusals) {
      const k = `${r.path.start}|${r.path.state}`;
      byState.set(k, [...(byState.get(k) ?? []), r]);
    }
    // The same state refusing the same events with the same answers from another start is driven once, from the
    // first start that reaches it (the starts' order: the fullest life first, so a coded inspection's scan is
    // tried where a later start would have no code): the row's context decided nothing there.
    const seen = new Set<string>();
    const startIndex = (name: string) => spec.starts.findIndex((s) => s.name === name);
    const ordered = [...byState.values()].sort((a, b) => startIndex(a[0]!.path.start) - startIndex(b[0]!.path.start));
    const groups = ordered.filter((refusals) => {
      const k = `${refusals[0]!.path.state}|${refusals.map((r) => `${r.event.type}:${r.rule ?? ''}`).join(',')}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    for (const refusals of groups) {
      const path = refusals[0]!.path;
      it(`[${path.start}] ${path.state} refuses ${refusals.map((r) => r.event.type).join(', ')}`, async () => {
        const row = await walk(path);
        for (const r of refusals) {
          const res = await spec.events[r.event.type]!.send({ t, w, row, start: path.start }, r.event);
          if ('cannotSend' in res) {
            // The request names something this state does not have yet (a code to scan): nothing to send.
            expect(res.cannotSend, r.event.type).toBeTruthy();
            continue;
          }
          const body = res.json() as { code?: string; currentState?: string };
          const declared = spec.events[r.event.type]!.refusedAs?.(path.state);
          if (declared) {
            expect({ event: r.event.type, status: res.statusCode, code: body.code }, declared.why).toEqual({ event: r.event.type, status: declared.status, code: declared.code });
          } else if (r.rule) {
            expect({ event: r.event.type, status: res.statusCode, code: body.code }).toEqual({ event: r.event.type, status: 422, code: r.rule });
          } else {
            expect({ event: r.event.type, status: res.statusCode, code: body.code }).toEqual({ event: r.event.type, status: 409, code: 'INVALID_TRANSITION' });
          }
          expect(await spec.read(t, w, row), `${r.event.type} refused: the row stays`).toBe(path.state);
        }
      }, CASE_TIMEOUT);
    }
  });
}
