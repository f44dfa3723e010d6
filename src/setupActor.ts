/**
 * The setup machine for a run, as both front ends start it: its input from the run context
 * (the client, the token to resume with, the keeper that persists what the flow says), and
 * the run's tunnel watched. Also the one place that prints the token (--print-token).
 */
import { createActor, type Actor } from 'xstate';
import { setupMachine, type SetupMachine } from '../machines/setupMachine.js';
import type { SetupContext, SetupInput } from '../machines/types.js';
import type { CliOptions } from './args.js';
import type { RunClock } from './clock.js';
import type { RunContext } from './runtime.js';

/** What only the front end knows: how it compares by default and how often it polls. */
type FrontEndInput = Pick<SetupInput, 'preferEmoji' | 'pollIntervalMs'>;

/** What the run gives the machine: the client, the keeper, the token and sign-in to resume, and what the command line asked. */
function machineInput(context: RunContext, frontEnd: FrontEndInput): SetupInput {
  const { options } = context;
  return {
    api: context.client,
    persistence: context.keeper,
    accessToken: context.accessToken,
    email: options.email,
    pendingSignIn: context.pendingSignIn,
    mode: options.command === 'verify' ? 'vouch' : 'setup',
    // verify --qr-file: the payload scanned on the other device is asked for once it shows its code.
    vouch: { userID: options.user, waitForRequest: options.wait, scanQr: options.command === 'verify' && !!options.qrFile },
    waitTimeoutMs: options.timeoutMs,
    preferEmoji: frontEnd.preferEmoji,
    ...(frontEnd.pollIntervalMs !== undefined ? { pollIntervalMs: frontEnd.pollIntervalMs } : {}),
  };
}

/** The setup machine for this run (not started). */
export function createSetupActor(context: RunContext, frontEnd: FrontEndInput, clock?: RunClock): Actor<SetupMachine> {
  const actor = createActor(setupMachine, { input: machineInput(context, frontEnd), ...(clock ? { clock } : {}) });
  // A tunnel whose ssh exited will not answer again: the run ends on that, naming the tunnel and the host.
  context.tunnel?.onClosed((closed) => {
    if (actor.getSnapshot().status !== 'active') return;
    actor.send({ type: 'CONNECTION_CLOSED', problem: { kind: 'unreachable', reason: 'tunnel-closed', message: closed.message, baseUrl: context.baseUrl } });
  });
  return actor;
}

/**
 * --print-token, once the run ends ready: `BEEPER_ACCESS_TOKEN=…` on stdout, the last thing the run
 * writes there. The token is the machine's (it owns the live one: signed in, or resumed with).
 */
export function printToken(options: Pick<CliOptions, 'printToken'>, machine: Pick<SetupContext, 'accessToken'>, stdout: NodeJS.WritableStream): void {
  if (options.printToken && machine.accessToken) stdout.write(`BEEPER_ACCESS_TOKEN=${machine.accessToken.reveal()}\n`);
}
