/**
 * Every state of the flow is reachable: a bounded breadth-first walk of the
 * machine with every user event a state handles, every timer and every actor
 * answer (graphModel.ts), from each way a run can start; what was reached is
 * compared with the states the machine defines (read from the machine, not
 * listed here). Vertices merge what the guards cannot tell apart, so the walk
 * takes seconds, not minutes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmptyActor, getInitialSnapshot, type AnyActorScope, type AnyStateNode } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { Secret } from '../../src/shared/secret.js';
import type { SetupApi } from '../../machines/api.js';
import { setupMachine } from '../../machines/setupMachine.js';
import type { SetupInput } from '../../machines/types.js';
import { recordingPersistence } from '../support/persistence.js';
import { eventsFor, serializeForGraph } from './graphModel.js';

type Snapshot = ReturnType<typeof setupMachine.transition>;
type Event = Parameters<typeof setupMachine.transition>[1];

const api = {} as SetupApi;
const persistence = recordingPersistence();
/** The ways a run starts: fresh, with a token, resuming a sign-in at its username, and vouching. */
const STARTS: SetupInput[] = [
  { api, persistence },
  { api, persistence, accessToken: new Secret('token-0') },
  {
    api,
    persistence,
    email: 'carol@example.com',
    pendingSignIn: {
      setupRequestID: 'req-0',
      email: 'carol@example.com',
      registration: { setupRequestID: 'req-0', leadToken: new Secret('lead'), usernameSuggestions: ['carol'], copy: { title: 't', usernamePlaceholder: 'u', terms: 'terms', submit: 's' } },
    },
  },
  { api, persistence, mode: 'vouch', accessToken: new Secret('token-0') },
  // The vertices do not count attempts: limits of 1 make one refusal enough to reach what they guard.
  { api, persistence, accessToken: new Secret('token-0'), limits: { recoveryKeyAttempts: 1, presetVerifications: 1 } },
  { api, persistence, mode: 'vouch', accessToken: new Secret('token-0'), vouch: { scanQr: true } },
];
/** A walk that grows past this is a model that stopped merging: fail rather than run for minutes. */
const MAX_VERTICES = 20_000;

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

const ids = (nodes: readonly AnyStateNode[]) => nodes.map((node) => node.id);
/** States that are left the moment they are entered (eventless `always` routing). */
const isTransient = (node: AnyStateNode) => node.always !== undefined && node.always.length > 0;

interface Walk {
  vertices: number;
  atRest: Set<string>;
  passedThrough: Set<string>;
  statuses: Set<string>;
  finals: Set<string>;
  /** Top-level states from which a timer led to timedOut. */
  timedOutFrom: Set<string>;
}

function walk(): Walk {
  const result: Walk = { vertices: 0, atRest: new Set(), passedThrough: new Set(), statuses: new Set(), finals: new Set(), timedOutFrom: new Set() };
  const seen = new Set<string>();
  const queue: Snapshot[] = [];
  const visit = (snapshot: Snapshot) => {
    const key = serializeForGraph(snapshot);
    if (seen.has(key)) return;
    seen.add(key);
    queue.push(snapshot);
  };
  for (const input of STARTS) visit(getInitialSnapshot(setupMachine, input) as Snapshot);
  while (queue.length > 0) {
    const snapshot = queue.shift()!;
    result.vertices += 1;
    if (result.vertices > MAX_VERTICES) throw new Error(`the walk passed ${MAX_VERTICES} vertices`);
    result.statuses.add(snapshot.status);
    for (const id of ids(snapshot._nodes)) result.atRest.add(id);
    if (snapshot.status !== 'active') {
      result.finals.add(String(snapshot.value));
      continue;
    }
    for (const event of eventsFor(snapshot) as Event[]) {
      // Microsteps show the transient routing states a macrostep passes through.
      const steps = setupMachine.microstep(snapshot, event, scope);
      for (const step of steps) for (const id of ids(step._nodes)) result.passedThrough.add(id);
      if (steps.length === 0) continue;
      const next = setupMachine.transition(snapshot, event, scope);
      if (next.value === 'timedOut' && event.type.startsWith('xstate.after.')) {
        result.timedOutFrom.add(typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value)[0]!);
      }
      visit(next);
    }
  }
  return result;
}

describe('reachability', () => {
  const defined = getStateNodes(setupMachine.root).filter((node) => node !== setupMachine.root);
  let result: Walk;

  // Seconds alone; on a loaded machine (the suite runs files in parallel) several times that.
  beforeAll(() => {
    result = walk();
  }, 60_000);

  it('the walk is big enough to mean something', () => {
    expect(defined.length).toBeGreaterThan(60);
    expect(result.vertices).toBeGreaterThan(defined.length);
  });

  it('reaches every state the machine defines (transient routing states in passing)', () => {
    const reached = new Set([...result.passedThrough, ...result.atRest]);
    expect([...reached].filter((id) => id !== setupMachine.root.id).sort()).toEqual(ids(defined).sort());
  });

  it('rests in every non-transient state, and never in a transient one', () => {
    const restful = defined.filter((node) => !isTransient(node) && !(node.parent && isTransient(node.parent)));
    expect([...result.atRest].filter((id) => id !== setupMachine.root.id).sort()).toEqual(ids(restful).sort());
  });

  it('no actor failure or odd answer crashes the machine (no snapshot in status "error")', () => {
    expect([...result.statuses].sort()).toEqual(['active', 'done']);
  });

  it('every final state is reachable, and timedOut only from a wait', () => {
    const finals = defined.filter((node) => node.type === 'final');
    expect(ids(finals).sort()).toEqual(['setup.interrupted', 'setup.ready', 'setup.timedOut', 'setup.vouched']);
    expect([...result.finals].sort()).toEqual(finals.map((node) => node.key).sort());
    expect([...result.timedOutFrom].sort()).toEqual([
      'applyingVerification',
      'deviceVerification',
      'firstSync',
      'probing',
      'reconnecting',
      'startingEncryption',
      'vouching',
      'waitingForServer',
    ]);
  });
});
