/**
 * What the wizard and headless mode say about where the flow stands: the
 * session states, every wait, a wait that lasts too long, and the notices.
 * One module, so the two front ends never word the same moment differently.
 */
import { keyActiveNotice, keyUnknownNotice } from './newKey.js';
import type { Session, Verification } from '../api/types.js';
import type { StepName, WaitStep } from '../../machines/steps.js';
import type { Notice, SetupContext } from '../../machines/types.js';
import type { TokenSource } from '../tokenStore.js';

/** The session states in words (status, waits). */
const SESSION_STATE_TEXT: Record<string, string> = {
  'needs-login': 'not signed in',
  initializing: 'starting encrypted messaging',
  'needs-cross-signing-setup': 'signed in; the account needs a recovery key',
  'needs-verification': 'signed in; this device is not verified yet',
  'needs-secrets': 'verified; the recovery key is needed to unlock messages',
  'needs-first-sync': 'verified; the first encrypted sync is running',
  ready: 'ready',
};

export function describeSessionState(state: string): string {
  return SESSION_STATE_TEXT[state] ?? `"${state}", a state this version of beeper-setup does not know`;
}

/** "Pixel 8", or its id when it has no name. */
export const deviceNameOf = (verification: Verification | undefined): string | undefined =>
  verification?.otherDevice?.name ?? verification?.otherDevice?.id;

/** "Pixel 8", or "your other device" when it has neither name nor id. */
export const otherDeviceName = (verification: Verification | undefined): string => deviceNameOf(verification) ?? 'your other device';

/** "your other device (Pixel 8)", from the device's name as the server gives it. */
export const otherDeviceNamed = (name: string | undefined): string => (name ? `your other device (${name})` : 'your other device');

/** "your other device (Pixel 8)". */
export const otherDevice = (verification: Verification | undefined): string => otherDeviceNamed(deviceNameOf(verification));

export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "Too many wrong codes. Start over…" → "Too many wrong codes": a server's reason without its advice. */
export function firstSentence(text: string): string {
  return (text.trim().split(/(?<=[.!?])\s+/)[0] ?? '').replace(/[.!?]+$/, '');
}

export interface WaitText {
  /** What is awaited, as the wizard's spinner line ("Checking the code"). */
  title: string;
  /** What the user can do meanwhile. */
  detail?: string | undefined;
}

/** Where the app is: the base URL, and the ssh tunnel reaching it, if any. */
export interface Where {
  baseUrl: string;
  via?: string | undefined;
}

interface WaitWords {
  context: SetupContext;
  where: Where;
  /** "your other device (Pixel 8)": the verification's, or the incoming request's. */
  other: string;
  /** `beeper-setup verify`: this app vouches for another device. */
  vouching: boolean;
}

/** Words for every `wait` step: one entry per wait step, so a new one without words fails the typecheck. */
export const WAIT_TEXTS: Record<WaitStep, (words: WaitWords) => WaitText> = {
  connecting: ({ where }) => ({ title: `Connecting to Beeper at ${where.baseUrl}${where.via ? ` (${where.via}, through an ssh tunnel)` : ''}` }),
  reconnecting: () => ({
    title: 'Reconnecting to Beeper',
    detail: 'The connection dropped before Beeper answered, so whether it acted is unknown. beeper-setup asks where things stand once it answers again.',
  }),
  // A moment between steps (or the session read again after a verification vanished).
  routing: () => ({ title: 'Working' }),
  'starting-sign-in': () => ({ title: 'Starting sign-in' }),
  'sending-code': ({ context }) => ({ title: context.notice === 'code-resent' ? `Sending a new code to ${context.email}` : `Sending a sign-in code to ${context.email}` }),
  'checking-code': () => ({ title: 'Checking the code' }),
  registering: ({ context }) => ({ title: `Creating the account ${context.username}` }),
  'verifying-recovery-key': () => ({ title: 'Checking the recovery key' }),
  'creating-recovery-key': () => ({ title: 'Creating a new recovery key' }),
  'confirming-recovery-key': () => ({ title: 'Activating your new recovery key' }),
  'starting-verification': ({ context, other, vouching }) => {
    if (context.incomingVerification) return { title: `Accepting the request from ${other}` };
    return { title: vouching ? `Asking ${other} to be verified` : 'Asking your other devices to verify this one' };
  },
  'waiting-other-device': ({ context, other, vouching }) => {
    if (context.verification && context.verification.state !== 'requested') return { title: `Waiting for ${other}` };
    return {
      title: `Waiting for ${other} to accept`,
      detail: vouching
        ? 'Open Beeper on that device and accept the verification request there.'
        : 'Open Beeper on a phone or computer where you are signed in and accept the verification request there.',
    };
  },
  'showing-qr': ({ other }) => ({ title: `Waiting for ${other} to scan the QR code` }),
  'starting-sas': () => ({ title: 'Starting emoji comparison' }),
  'confirming-sas': () => ({ title: 'Sending your answer' }),
  'waiting-other-confirm': ({ other }) => ({ title: `Waiting for ${other} to confirm the emojis match too` }),
  'confirming-scan': () => ({ title: 'Finishing the verification' }),
  rejecting: () => ({ title: 'Stopping the verification' }),
  cancelling: () => ({ title: 'Cancelling the verification' }),
  'submitting-qr': () => ({ title: 'Submitting the scanned QR code' }),
  'waiting-server': ({ context }) => serverWaitText(context.session),
};

/** The words of a `wait` step. `where` is the base URL (and the tunnel, if any). */
export function waitText(step: WaitStep, context: SetupContext, where: Where): WaitText {
  return WAIT_TEXTS[step]({ context, where, other: otherDevice(context.verification ?? context.incomingVerification), vouching: context.mode === 'vouch' });
}

function serverWaitText(session: Session | undefined): WaitText {
  switch (session?.state) {
    case 'initializing':
      return { title: 'Beeper is starting encrypted messaging' };
    case 'needs-first-sync':
      return { title: 'Syncing your chats for the first time', detail: 'This can take a few minutes on a big account.' };
    case 'needs-verification':
      return { title: 'Finishing the verification' };
    default:
      return { title: `Waiting for Beeper (it reports "${session?.state ?? 'nothing yet'}")` };
  }
}

/**
 * A wait that lasted longer than the app's state explains (`context.stalled`): what is
 * going on and the way forward. `keys` says how the front end offers the other ways.
 */
export function stallText(step: StepName, context: SetupContext, keys: 'wizard' | 'headless'): string | undefined {
  if (!context.stalled) return undefined;
  const state = context.session?.state;
  if (step === 'waiting-other-device' || step === 'showing-qr') {
    const other = capitalize(otherDevice(context.verification));
    if (context.mode === 'vouch') return `${other} has not answered for a while. Make sure Beeper is open there.`;
    return keys === 'wizard'
      ? `${other} has not answered for a while. Make sure Beeper is open there, or press r to use your recovery key instead.`
      : `${other} has not answered for a while. Make sure Beeper is open there, or run again with --recovery-key-file PATH.`;
  }
  if (step !== 'waiting-server') return undefined;
  if (state === 'initializing') {
    return 'Beeper has been starting encrypted messaging for over a minute. If nothing changes, restart Beeper; beeper-setup carries on from where it stands.';
  }
  if (state === 'needs-first-sync') {
    return 'The first sync is still running. On a big account it can take a while; it goes on without beeper-setup, and beeper-setup status tells when it is done.';
  }
  if (state && !(state in SESSION_STATE_TEXT)) {
    return `Beeper reports "${state}", which this version of beeper-setup does not know: it may be older than your Beeper app. Update it (npx beeper-setup@latest) and run it again.`;
  }
  return undefined;
}

/** The verification finished, but the app still says the device needs verification (verification-not-applied). */
export function verificationNotAppliedText(context: SetupContext): { title: string; message: string; fix: string } {
  return {
    title: 'The verification did not take effect',
    message: `${capitalize(otherDevice(context.verification))} finished the verification, but Beeper still says this device needs verification.`,
    fix: 'Try the verification again, or use your recovery key.',
  };
}

/** Informational lines (context.notice), or undefined for none. */
export function noticeText(notice: Notice, context: Pick<SetupContext, 'email' | 'signInEndedBy'> & Partial<Pick<SetupContext, 'newKeyFile'>>, tokenSource?: TokenSource): string | undefined {
  switch (notice) {
    case 'code-resent':
      return 'Sent a new code. Use the newest email.';
    case 'sign-in-restarted': {
      // The server's reason, not its advice ("Start over to get a new code"): starting over is what was done.
      const reason = firstSentence(context.signInEndedBy?.message ?? '') || 'That sign-in could not go on';
      return `${reason}, so beeper-setup started over: a new code was emailed to ${context.email}.`;
    }
    case 'token-refused':
      if (tokenSource === 'env') return 'Beeper did not accept the token in BEEPER_ACCESS_TOKEN. Sign in with your email instead.';
      return 'The sign-in saved for this Beeper is no longer valid. Sign in again.';
    case 'signed-out':
      return 'Beeper signed this app out (it restarted, or another sign-in replaced this one). Sign in again.';
    case 'verification-cancelled-by-us':
      return 'Stopped the verification; your other device no longer waits for it.';
    case 'connection-lost':
      return 'The connection to Beeper dropped before it answered; beeper-setup checked where things stand and carries on from there.';
    case 'registration-resumed':
      return `Continuing to create the account for ${context.email}.`;
    case 'new-key-active':
      return keyActiveNotice(context.newKeyFile);
    case 'new-key-unknown':
      return keyUnknownNotice(context.newKeyFile);
    default:
      return undefined;
  }
}
