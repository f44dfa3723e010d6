/**
 * Where the flow goes for a given server state. One pure function, so the
 * machine's routing guards, the status command and the tests agree.
 */
import type { Session, Verification } from '../src/api/types.js';

export type Route =
  | 'signIn'
  | 'ready'
  | 'createRecoveryKey'
  | 'chooseMethod'
  | 'deviceVerification'
  | 'enterRecoveryKey'
  | 'waitingForServer';

export const ROUTES: readonly Route[] = [
  'signIn',
  'ready',
  'createRecoveryKey',
  'chooseMethod',
  'deviceVerification',
  'enterRecoveryKey',
  'waitingForServer',
];

const FINISHED = new Set(['done', 'cancelled', 'error']);

/** A verification still in progress that this device can carry on with. */
export function isLiveVerification(verification: Verification | undefined): verification is Verification {
  if (!verification || FINISHED.has(verification.state)) return false;
  // An incoming request nobody accepted yet is offered as a choice, not resumed.
  return !(verification.direction === 'incoming' && verification.availableActions.includes('accept'));
}

export function routeFor(session: Session | undefined, current?: Verification): Route {
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
      // Verified, but the server has not moved on yet: wait for it rather than offer choices again.
      if (verification?.state === 'done') return 'waitingForServer';
      return isLiveVerification(verification) ? 'deviceVerification' : 'chooseMethod';
    }
    case 'needs-secrets':
      return 'enterRecoveryKey';
    default:
      // initializing, needs-first-sync, and any state a newer server invents.
      return 'waitingForServer';
  }
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

/** Which verification step a server verification calls for. */
export function verificationStepFor(
  verification: Verification,
  /** `sasStarted`: we already sent sas/start for this verification; the other device has to answer it. */
  options: { sasConfirmed: boolean; preferEmoji: boolean; sasStarted?: boolean },
): VerificationStep {
  const can = (action: string) => verification.availableActions.includes(action);
  switch (verification.state) {
    case 'done':
      return 'finished';
    case 'cancelled':
    case 'error':
      return 'failed';
    case 'ready':
      if (verification.qr && !options.preferEmoji) return 'showingQr';
      return can('sas.start') && !options.sasStarted ? 'startingSas' : 'waitingForOtherDevice';
    case 'sas_ready':
      return can('sas.confirm') && !options.sasConfirmed ? 'comparingEmojis' : 'waitingForOtherConfirm';
    case 'qr_scanned':
      return can('qr.confirmScanned') ? 'confirmingScan' : 'waitingForOtherDevice';
    default:
      // requested, and states a newer server invents: keep polling.
      return 'waitingForOtherDevice';
  }
}
