import { getShortestPaths } from '@xstate/graph';
import { transition, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';

/**
 * The pure half of the model-based tests (issue 25): what a machine defines, and which paths reach it.
 * Everything is read from the machine at test time — state names, event names, guard branches — so a
 * machine that gains a transition gains a test case, and a transition nobody can drive fails the coverage
 * test (test/unit/model-coverage.test.ts) instead of going untested.
 */

/** One branch of one event in one state: `draft --SUBMIT#0--> submitted`. A targetless branch stays put. */
export interface DefinedTransition {
  state: string;
  event: string;
  branch: number;
  guard?: string;
  target: string;
  key: string;
}

interface TransitionDef {
  guard?: unknown;
  target?: readonly { key: string }[];
}
interface Node {
  key: string;
  type: string;
  transitions: Map<string, TransitionDef[]>;
}

const nodes = (machine: AnyStateMachine) => Object.values(machine.root.states) as unknown as Node[];

function guardName(g: unknown): string | undefined {
  if (!g) return undefined;
  if (typeof g === 'string') return g;
  if (typeof g === 'object' && 'type' in (g as object)) return String((g as { type: unknown }).type);
  // and([...]) / or([...]) / not(...) are functions carrying their parts' names.
  const parts = (g as { guards?: unknown[]; guard?: unknown }).guards ?? [(g as { guard?: unknown }).guard];
  return parts.map(guardName).filter(Boolean).join('+') || 'inline';
}

export function transitionKey(state: string, event: string, branch: number, target: string): string {
  return `${state} --${event}#${branch}--> ${target}`;
}

export function definedTransitions(machine: AnyStateMachine): DefinedTransition[] {
  return nodes(machine).flatMap((node) =>
    [...node.transitions.entries()].flatMap(([event, defs]) =>
      defs.map((d, branch) => {
        const target = d.target?.[0]?.key ?? node.key;
        return { state: node.key, event, branch, guard: guardName(d.guard), target, key: transitionKey(node.key, event, branch, target) };
      }),
    ),
  );
}

export function stateNames(machine: AnyStateMachine): string[] {
  return nodes(machine).map((n) => n.key);
}

/** Every event type any state of the machine takes. */
export function eventTypes(machine: AnyStateMachine): string[] {
  return [...new Set(definedTransitions(machine).map((t) => t.event))].sort();
}

/** The events a state defines no transition for at all: sending one must be refused. */
export function undefinedEvents(machine: AnyStateMachine, state: string): string[] {
  const node = nodes(machine).find((n) => n.key === state)!;
  return eventTypes(machine).filter((e) => !node.transitions.has(e));
}

/**
 * The model of one machine, without the API: the contexts rows start with, and sample events per type that
 * between them take every guarded branch (payload facts such as a review passed or failed).
 */
/** An event as a model file writes it: its type and the facts it carries. */
export interface ModelEvent extends EventObject {
  [fact: string]: unknown;
}

export interface ModelShape {
  machine: AnyStateMachine;
  /** A row is created at the initial state with one of these contexts (an inspection's kind and mode). */
  starts: { name: string; context?: unknown }[];
  samples: Record<string, ModelEvent[]>;
}

export interface Step {
  event: ModelEvent;
  state: string;
}
export interface StatePath {
  start: string;
  state: string;
  snapshot: AnyMachineSnapshot;
  steps: Step[];
}

const stateValue = (s: AnyMachineSnapshot) => String(s.value);

/** Shortest paths (@xstate/graph) from each start to every state reachable with the sample events. */
export function shortestPaths(shape: ModelShape): StatePath[] {
  const events = Object.values(shape.samples).flat();
  return shape.starts.flatMap((start) => {
    const fromState = shape.machine.resolveState({ value: String(shape.machine.config.initial), context: start.context ?? shape.machine.config.context ?? {} });
    const paths = getShortestPaths(shape.machine, { events, fromState, serializeState: (s) => stateValue(s as AnyMachineSnapshot) });
    return paths.map((p) => ({
      start: start.name,
      state: stateValue(p.state as AnyMachineSnapshot),
      snapshot: p.state as AnyMachineSnapshot,
      steps: p.steps.slice(1).map((s) => ({ event: s.event as ModelEvent, state: stateValue(s.state as AnyMachineSnapshot) })),
    }));
  });
}

/** The branch a sample event takes in a snapshot, if any (the first enabled one, as xstate picks). */
export function branchTaken(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject): DefinedTransition | undefined {
  const [taken] = machine.getTransitionData(snapshot as never, event as never) as unknown as TransitionDef[];
  if (!taken) return undefined;
  const state = stateValue(snapshot);
  const node = nodes(machine).find((n) => n.key === state)!;
  const branch = (node.transitions.get(event.type) ?? []).indexOf(taken);
  if (branch < 0) return undefined;
  const target = taken.target?.[0]?.key ?? state;
  return { state, event: event.type, branch, guard: guardName(taken.guard), target, key: transitionKey(state, event.type, branch, target) };
}

/** A transition to drive: a shortest path to its source state, then the event that takes it. */
export interface TransitionCase {
  transition: DefinedTransition;
  path: StatePath;
  event: ModelEvent;
  expected: string;
}

/** A refusal to drive: a reachable state and an event none of whose samples it takes. */
export interface RefusalCase {
  path: StatePath;
  event: ModelEvent;
  /** The rule the machine's meta.refusedBy names for it, or undefined for a plain INVALID_TRANSITION. */
  rule?: string;
}

export interface ModelPlan {
  paths: StatePath[];
  transitions: TransitionCase[];
  uncovered: DefinedTransition[];
  refusals: RefusalCase[];
}

function refusalRule(machine: AnyStateMachine, path: StatePath, event: EventObject): string | undefined {
  const meta = (machine.states[path.state] as unknown as { meta?: { refusedBy?: Record<string, { rule: string; when?: string }> } }).meta;
  const r = meta?.refusedBy?.[event.type];
  if (!r) return undefined;
  if (!r.when) return r.rule;
  const guard = (machine.implementations.guards as Record<string, (a: { context: unknown; event: unknown }) => boolean>)[r.when]!;
  return guard({ context: path.snapshot.context, event }) ? r.rule : undefined;
}

export function planModel(shape: ModelShape): ModelPlan {
  const { machine } = shape;
  const paths = shortestPaths(shape).sort((a, b) => a.steps.length - b.steps.length);
  const transitions: TransitionCase[] = [];
  const covered = new Set<string>();
  for (const path of paths) {
    for (const event of Object.values(shape.samples).flat()) {
      const taken = branchTaken(machine, path.snapshot, event);
      if (!taken || covered.has(taken.key)) continue;
      covered.add(taken.key);
      const [after] = transition(machine, path.snapshot as never, event as never);
      transitions.push({ transition: taken, path, event, expected: stateValue(after as AnyMachineSnapshot) });
    }
  }
  const refusals: RefusalCase[] = [];
  for (const path of paths) {
    for (const type of eventTypes(machine)) {
      const samples = shape.samples[type] ?? [{ type }];
      if (samples.some((e) => path.snapshot.can(e))) continue;
      refusals.push({ path, event: samples[0]!, rule: refusalRule(machine, path, samples[0]!) });
    }
  }
  return { paths, transitions, uncovered: definedTransitions(machine).filter((t) => !covered.has(t.key)), refusals };
}
