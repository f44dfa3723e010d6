/**
 * How a run ends, in words: ready, verified, timed out, stopped. The wizard's last screen and
 * the line it prints under it, and headless mode's last lines, take their sentences from here,
 * so the two front ends never word the same ending differently.
 */
import { isFinished, verificationStep } from '../../machines/routing.js';
import type { SetupContext } from '../../machines/types.js';
import type { Session, Verification } from '../api/types.js';
import type { StopSignal } from '../signals.js';
import { formatDuration } from './format.js';
import { capitalize, describeSessionState, otherDevice, otherDeviceName } from './states.js';

/** The ready screen's title. */
export const READY_TITLE = 'Beeper is ready';

/** Who is signed in, on which device: headless mode's last line. */
export function readyLine(session: Session | undefined): string {
  const matrix = session?.matrix;
  return matrix ? `Ready: ${matrix.userID} is signed in on device ${matrix.deviceID} (${matrix.homeserver}).` : 'Ready.';
}

/** --demo: the simulated Beeper ends with the run. */
export const SIMULATION_ENDS = 'That was the simulation: no access token was kept, and it stops now.';

/** `beeper-setup verify` finished: the other device is trusted. */
export function verifiedText(verification: Verification | undefined): { title: string; detail: string } {
  return {
    title: `Verified: ${otherDeviceName(verification)} is now trusted`,
    detail: 'It can read your encrypted messages, and your other devices trust it too.',
  };
}

/** --timeout ran out: what was awaited, and how to go on. */
export function timedOutText(context: SetupContext): { title: string; message: string; fix: string } {
  const vouching = context.mode === 'vouch';
  const after = context.waitTimeoutMs !== undefined ? ` after ${formatDuration(context.waitTimeoutMs)}` : '';
  return {
    title: 'Stopped waiting',
    message: `${vouching ? 'Nothing verified' : 'Not ready'}${after}: ${waitedFor(context)}`,
    fix: vouching ? 'Run it again, or allow longer with --timeout.' : 'Run the same command again to resume, or allow longer with --timeout.',
  };
}

/** What the run was waiting for when --timeout ran out. */
function waitedFor(context: SetupContext): string {
  const { session, verification } = context;
  if (!session) return 'Beeper did not answer.';
  if (context.mode === 'vouch' && session.state === 'ready' && !verification) return 'No verification request came from your other device.';
  // A verification the other device had yet to move on (not one this device had to confirm).
  if (verification && !isFinished(verification)) {
    const step = verificationStep(context);
    if (step !== 'comparingEmojis' && step !== 'confirmingScan') return `${capitalize(otherDevice(verification))} did not finish the verification.`;
  }
  return `Beeper is still ${describeSessionState(session.state)}.`;
}

/** The `error` event's message for a run stopped by a signal. */
export const stoppedBy = (signal: StopSignal | undefined): string => (signal === 'SIGHUP' ? 'Hung up.' : 'Interrupted.');

export interface StopWords {
  /** The command that resumes, as typed here ("beeper-setup --ssh admin@host"). */
  again: string;
  /** The command that starts the demo over; set only in the demo. */
  demoAgain?: string | undefined;
  baseUrl: string;
}

/** The one line said after a stop (Ctrl-C, SIGTERM): how to carry on from here. */
export function stoppedLine(context: SetupContext, words: StopWords): string {
  const { again } = words;
  if (words.demoAgain) return `Demo stopped; the simulated Beeper stops with it. Run ${words.demoAgain} to start over.`;
  if (context.newRecoveryKey) {
    // A key shown but never confirmed is not the account's key: a copy saved from that screen unlocks nothing.
    return `Stopped before the new recovery key was activated: it is not your key, and your old key (if any) still works. Run ${again} again to make a new one.`;
  }
  // The tunnel's own words (which tunnel, which host, how ssh ended): not "once Beeper answers" at our end of it.
  if (context.problem?.reason === 'tunnel-closed') return `${context.problem.message} Run ${again} again to resume: nothing was cancelled.`;
  if (context.problem?.kind === 'unreachable') {
    return `Stopped. Run ${again} again once Beeper answers at ${words.baseUrl}, or point it elsewhere with --base-url.`;
  }
  if (!context.accessToken) return `Stopped. Run ${again} again to sign in.`;
  return `Stopped. Run ${again} again to continue where Beeper stands (nothing was cancelled).`;
}
