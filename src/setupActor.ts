/** The setup machine for a run, with its persistence wired to the run's token keeper (both front ends use it). */
import { createActor, fromPromise, type Actor } from 'xstate';
import { sendKeyConfirm, type ConfirmKeyInput } from '../machines/actors.js';
import { HttpError } from './api/errors.js';
import type { Session } from './api/types.js';
import { recordKeyFile, type KeyFileRecord } from './tokenStore.js';
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
  // The new key's file is recorded as sent for activation before the request leaves, and as active (or
  // not) once Beeper answers, so a rerun that finds the file can say what it holds (tokenStore.ts).
  const record = (path: string | undefined, state: KeyFileRecord['state']) =>
    path ? recordKeyFile(path, state, context.tokenKey, context.io.env).catch(() => {}) : Promise.resolve();
  const machine = setupMachine.provide({
    actors: {
      confirmRecoveryKey: fromPromise<Session, ConfirmKeyInput>(async ({ input, signal }) => {
        await record(input.savedTo, 'activating');
        try {
          const session = await sendKeyConfirm(input, signal);
          await record(input.savedTo, 'active');
          return session;
        } catch (error) {
          // Refused (4xx): certainly not taken. Anything else (no answer, 5xx) may have been.
          if (error instanceof HttpError && error.status < 500) await record(input.savedTo, 'written');
          throw error;
        }
      }),
    },
    actions: {
      rememberToken: (_, params) => {
        context.accessToken = params.token;
        keeper.rememberToken(params.token);
      },
      forgetSavedToken: () => keeper.forgetSavedToken(),
      rememberPendingSignIn: (_, params) => keeper.rememberPendingSignIn(params.pending),
      rememberKeyFileState: (_, params) => keeper.alongside(() => record(params.path, params.state)),
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
