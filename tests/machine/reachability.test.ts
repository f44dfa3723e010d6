/**
 * Every state of the flow is reachable: walk the machine's graph (xstate/graph)
 * with every user event, timer and actor answer, and compare what was reached
 * with the states the machine defines (read from the machine, not listed here).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmptyActor, type AnyActorScope, type AnyStateNode } from 'xstate';
import { getAdjacencyMap, getShortestPaths, getStateNodes } from 'xstate/graph';
import { Secret } from '../../src/shared/secret.js';
import type { SetupApi } from '../../machines/api.js';
import { setupMachine } from '../../machines/setupMachine.js';
import { eventsFor, serializeForGraph } from './graphModel.js';

type Snapshot = ReturnType<typeof setupMachine.transition>;
type Event = Parameters<typeof setupMachine.transition>[1];

/** Secrets and errors made comparable, so "valid code" and "typo code" stay two events. */
function plain(value: unknown): unknown {
  if (value instanceof Secret) return `secret:${value.reveal()}`;
  if (value instanceof Error) return { name: value.name, message: value.message, ...Object.fromEntries(Object.entries(value)) };
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

const options = {
  input: { api: {} as SetupApi },
  events: (snapshot: Snapshot) => eventsFor(snapshot) as Event[],
  serializeState: (snapshot: Snapshot) => serializeForGraph(snapshot),
  serializeEvent: (event: Event) => JSON.stringify(plain(event)),
};

const ids = (nodes: readonly AnyStateNode[]) => nodes.map((node) => node.id);
/** States that are left the moment they are entered (eventless `always` routing). */
const isTransient = (node: AnyStateNode) => node.always !== undefined && node.always.length > 0;

describe('reachability', () => {
  const defined = getStateNodes(setupMachine.root).filter((node) => node !== setupMachine.root);
  let adjacency: ReturnType<typeof getAdjacencyMap<Snapshot, Event, unknown>>;
  /** One shortest path (from the start: probing) to every distinct reachable snapshot. */
  let paths: Array<{ state: Snapshot; steps: unknown[] }>;
  /** Every state node active at rest in some reachable snapshot. */
  const atRest = new Set<string>();
  /** Every state node active in some microstep, transient ones included. */
  const passedThrough = new Set<string>();
  const statuses = new Set<string>();

  beforeAll(() => {
    paths = getShortestPaths(setupMachine, options as never) as typeof paths;
    for (const { state } of paths) {
      statuses.add(state.status);
      for (const id of ids(state._nodes)) atRest.add(id);
    }
    // Transient routing states are only seen inside a macrostep: replay every edge microstep by microstep.
    adjacency = getAdjacencyMap(setupMachine, options as never) as typeof adjacency;
    const self = createEmptyActor();
    const scope = {
      self,
      logger: () => {},
      id: '',
      sessionId: 'graph',
      defer: () => {},
      system: self.system,
      stopChild: () => {},
      emit: () => {},
      actionExecutor: () => {},
    } as unknown as AnyActorScope;
    for (const { state, transitions } of Object.values(adjacency)) {
      for (const { event } of Object.values(transitions) as Array<{ event: Event }>) {
        for (const step of setupMachine.microstep(state, event, scope)) for (const id of ids(step._nodes)) passedThrough.add(id);
      }
    }
  });

  it('the walk is big enough to mean something', () => {
    expect(defined.length).toBeGreaterThan(40);
    expect(paths.length).toBe(Object.keys(adjacency).length);
    expect(paths.length).toBeGreaterThan(defined.length);
    expect((paths[0]?.steps as Array<{ event: Event }>).map((step) => step.event.type)).toEqual(['xstate.init']);
    expect(paths[0]?.state.value).toBe('probing');
  });

  it('reaches every state the machine defines (transient routing states in passing)', () => {
    expect([...passedThrough].filter((id) => id !== setupMachine.root.id).sort()).toEqual(ids(defined).sort());
  });

  it('rests in every non-transient state, and never in a transient one', () => {
    const restful = defined.filter((node) => !isTransient(node) && !(node.parent && isTransient(node.parent)));
    expect([...atRest].filter((id) => id !== setupMachine.root.id).sort()).toEqual(ids(restful).sort());
  });

  it('no actor failure or odd answer crashes the machine (no snapshot in status "error")', () => {
    expect([...statuses].sort()).toEqual(['active', 'done']);
  });

  it('every final state is reachable, and timedOut only from a wait', () => {
    const finals = defined.filter((node) => node.type === 'final');
    expect(ids(finals).sort()).toEqual(['setup.interrupted', 'setup.ready', 'setup.timedOut']);
    const reached = new Set(paths.filter((path) => path.state.status === 'done').map((path) => path.state.value));
    expect([...reached].sort()).toEqual(finals.map((node) => node.key).sort());
    const timeouts = Object.values(adjacency).filter(
      ({ state, transitions }) =>
        state.status === 'active' && Object.values(transitions as Record<string, { state: Snapshot }>).some((t) => t.state.value === 'timedOut'),
    );
    const from = new Set(timeouts.map(({ state }) => (typeof state.value === 'string' ? state.value : Object.keys(state.value)[0])));
    expect([...from].sort()).toEqual(['deviceVerification', 'waitingForServer']);
  });
});
