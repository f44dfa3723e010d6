/** The setup machine for a run, with its persistence wired to the run's token keeper (both front ends use it). */
import { createActor, type Actor } from 'xstate';
import { setupMachine, type SetupInput } from '../machines/setupMachine.js';
import type { RunClock } from './clock.js';
import type { RunContext } from './runtime.js';

export function machineInput(context: RunContext, overrides: Partial<SetupInput> = {}): SetupInput {
  return {
    api: context.client,
    accessToken: context.accessToken,
    email: context.options.email,
    pendingSignIn: context.pendingSignIn,
    ...overrides,
  };
}

/** The setup machine for this run, with its persistence actions handled by the run's keeper. */
export function createSetupActor(context: RunContext, overrides: Partial<SetupInput> = {}, clock?: RunClock): Actor<typeof setupMachine> {
  const { keeper } = context;
  const machine = setupMachine.provide({
    actions: {
      rememberToken: (_, params) => {
        context.accessToken = params.token;
        keeper.rememberToken(params.token);
      },
      forgetSavedToken: () => keeper.forgetSavedToken(),
      rememberPendingSignIn: (_, params) => keeper.rememberPendingSignIn(params.pending),
    },
  });
  const actor = createActor(machine, { input: machineInput(context, overrides), ...(clock ? { clock } : {}) });
  // A tunnel whose ssh exited will not answer again: the run ends on that, naming the tunnel and the host.
  context.tunnel?.onClosed((closed) => {
    if (actor.getSnapshot().status !== 'active') return;
    actor.send({ type: 'CONNECTION_CLOSED', problem: { kind: 'unreachable', reason: 'tunnel-closed', message: closed.message, baseUrl: context.baseUrl } });
  });
  return actor;
}
