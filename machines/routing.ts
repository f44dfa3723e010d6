/**
 * Where the flow goes for a given server state, and which verification step a
 * verification calls for. Pure functions, so the machine's routing guards, the
 * status command and the tests agree.
 */
import type { Session, Verification } from '../src/api/types.js';
import type { FlowMode, SetupContext } from './types.js';

export const ROUTES = [
  'signIn',
  'ready',
  'vouched',
  'createRecoveryKey',
  'chooseMethod',
  'deviceVerification',
  'enterRecoveryKey',
  'startingEncryption',
  'applyingVerification',
  'firstSync',
  'waitingForServer',
  'vouching',
  'notSetUp',
] as const;
export type Route = (typeof ROUTES)[number];

/** The server's states of a verification that is over, and how it ended: the one list of them. */
export const FINISHED_VERIFICATION: Readonly<Record<string, 'finished' | 'failed'>> = { done: 'finished', cancelled: 'failed', error: 'failed' };

export const isFinished = (verification: Verification | undefined): boolean => !!verification && Object.hasOwn(FINISHED_VERIFICATION, verification.state);

/** An incoming request nobody accepted yet: offered as a choice, not resumed. */
export function isAcceptableIncoming(verification: Verification | undefined): verification is Verification {
  return !!verification && verification.direction === 'incoming' && verification.availableActions.includes('accept');
}

/** A verification still in progress that this device can carry on with. */
export function isLiveVerification(verification: Verification | undefined): verification is Verification {
  return !!verification && !isFinished(verification) && !isAcceptableIncoming(verification);
}

export function routeFor(session: Session | undefined, current?: Verification, mode: FlowMode = 'setup'): Route {
  if (mode === 'vouch') return vouchRoute(session, current);
  if (!session) return 'signIn';
  switch (session.state) {
    case 'needs-login':
      return 'signIn';
    case 'ready':
      return 'ready';
    case 'needs-cross-signing-setup':
      return 'createRecoveryKey';
    case 'needs-verification': {
      const verification = session.verification ?? current;
      // Verified, but the app has not taken it in yet: wait a little, then say so (applyingVerification).
      if (verification?.state === 'done') return 'applyingVerification';
      return isLiveVerification(verification) ? 'deviceVerification' : 'chooseMethod';
    }
    case 'needs-secrets':
      return 'enterRecoveryKey';
    case 'initializing':
      return 'startingEncryption';
    case 'needs-first-sync':
      return 'firstSync';
    default:
      // A state a newer app invents: wait, and after a while say this version may be older than the app.
      return 'waitingForServer';
  }
}

/** `verify`: only an app that is ready vouches for another device. */
function vouchRoute(session: Session | undefined, current: Verification | undefined): Route {
  if (session?.state !== 'ready') return session?.state === 'initializing' ? 'startingEncryption' : 'notSetUp';
  if (current?.state === 'done') return 'vouched';
  const live = current && !isFinished(current) ? current : session.verification;
  return isLiveVerification(live) ? 'deviceVerification' : 'vouching';
}

export type VerificationStep =
  | 'waitingForOtherDevice'
  | 'showingQr'
  | 'startingSas'
  | 'comparingEmojis'
  | 'waitingForOtherConfirm'
  | 'confirmingScan'
  | 'finished'
  | 'failed';

/** The step the context's verification calls for; with none yet, waiting for the other device. */
export const verificationStep = (context: Pick<SetupContext, 'verification' | 'sasConfirmed' | 'preferEmoji' | 'sasStarted'>): VerificationStep =>
  context.verification
    ? verificationStepFor(context.verification, { sasConfirmed: context.sasConfirmed, preferEmoji: context.preferEmoji, sasStarted: context.sasStarted })
    : 'waitingForOtherDevice';

/**
 * Which verification step a server verification calls for. `availableActions`
 * is the server's word on what may be done now, so it decides first, whatever
 * the state is called; the state names only mark the end (done, cancelled,
 * error) and whether a QR code is on offer.
 */
export function verificationStepFor(
  verification: Verification,
  /** `sasStarted`: we already sent sas/start for this verification; the other device has to answer it. */
  options: { sasConfirmed: boolean; preferEmoji: boolean; sasStarted?: boolean },
): VerificationStep {
  const can = (action: string) => verification.availableActions.includes(action);
  const ending = isFinished(verification) ? FINISHED_VERIFICATION[verification.state] : undefined;
  if (ending) return ending;
  if (can('sas.confirm') && verification.sas && !options.sasConfirmed) return 'comparingEmojis';
  if (can('qr.confirmScanned')) return 'confirmingScan';
  if (verification.sas && (options.sasConfirmed || options.sasStarted)) return options.sasConfirmed ? 'waitingForOtherConfirm' : 'waitingForOtherDevice';
  if (verification.qr && !options.preferEmoji && !options.sasStarted) return 'showingQr';
  if (can('sas.start') && !options.sasStarted) return 'startingSas';
  // requested, or a state where nothing is ours to do: keep polling.
  return 'waitingForOtherDevice';
}
