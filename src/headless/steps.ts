/**
 * Names the machine's current state for headless mode: a step that needs an
 * answer (the driver sends an event), a wait (the driver reports progress), or
 * an end. One table, so the human lines and the NDJSON `step` names agree.
 */
import type { SnapshotFrom } from 'xstate';
import type { SetupMachine } from '../../machines/setupMachine.js';

export type SetupSnapshot = SnapshotFrom<SetupMachine>;

export type AskStep =
  | 'email'
  | 'code'
  | 'username'
  | 'terms'
  | 'choose-method'
  | 'recovery-key'
  | 'create-recovery-key'
  | 'reset-warning'
  | 'creation-failed'
  | 'save-recovery-key'
  | 'compare-emojis'
  | 'confirm-scan'
  | 'verification-failed';

export type WaitStep =
  | 'connecting'
  | 'starting-sign-in'
  | 'sending-code'
  | 'checking-code'
  | 'registering'
  | 'verifying-recovery-key'
  | 'creating-recovery-key'
  | 'confirming-recovery-key'
  | 'starting-verification'
  | 'waiting-other-device'
  | 'showing-qr'
  | 'starting-sas'
  | 'confirming-sas'
  | 'waiting-other-confirm'
  | 'confirming-scan'
  | 'rejecting'
  | 'cancelling'
  | 'waiting-server'
  | 'routing';

export type EndStep = 'ready' | 'timed-out' | 'interrupted' | 'failed';

export type Step = { kind: 'ask'; name: AskStep } | { kind: 'wait'; name: WaitStep } | { kind: 'end'; name: EndStep };

const ASKS: [string, AskStep][] = [
  ['signIn.enterEmail', 'email'],
  ['signIn.enterCode', 'code'],
  ['signIn.chooseUsername', 'username'],
  ['signIn.reviewTerms', 'terms'],
  ['chooseMethod', 'choose-method'],
  ['enterRecoveryKey', 'recovery-key'],
  ['newRecoveryKey.intro', 'create-recovery-key'],
  ['newRecoveryKey.warning', 'reset-warning'],
  ['newRecoveryKey.creationFailed', 'creation-failed'],
  ['newRecoveryKey.showingKey', 'save-recovery-key'],
  ['deviceVerification.tracking.step.comparingEmojis', 'compare-emojis'],
  ['deviceVerification.tracking.step.confirmingScan', 'confirm-scan'],
  ['deviceVerification.failed', 'verification-failed'],
];

const WAITS: [string, WaitStep][] = [
  ['probing', 'connecting'],
  ['signIn.starting', 'starting-sign-in'],
  ['signIn.sendingCode', 'sending-code'],
  ['signIn.restarting', 'sending-code'],
  ['signIn.checkingCode', 'checking-code'],
  ['signIn.registering', 'registering'],
  ['verifyingRecoveryKey', 'verifying-recovery-key'],
  ['newRecoveryKey.creating', 'creating-recovery-key'],
  ['newRecoveryKey.confirming', 'confirming-recovery-key'],
  ['deviceVerification.beginning', 'starting-verification'],
  ['deviceVerification.tracking.step.waitingForOtherDevice', 'waiting-other-device'],
  ['deviceVerification.tracking.step.showingQr', 'showing-qr'],
  ['deviceVerification.tracking.step.waitingForOtherConfirm', 'waiting-other-confirm'],
  ['deviceVerification.startingSas', 'starting-sas'],
  ['deviceVerification.confirmingSas', 'confirming-sas'],
  ['deviceVerification.confirmingScanned', 'confirming-scan'],
  ['deviceVerification.rejecting', 'rejecting'],
  ['deviceVerification.leaving', 'cancelling'],
  ['waitingForServer', 'waiting-server'],
];

const ENDS: [string, EndStep][] = [
  ['ready', 'ready'],
  ['timedOut', 'timed-out'],
  ['interrupted', 'interrupted'],
  ['failed', 'failed'],
];

export function stepOf(snapshot: SetupSnapshot): Step {
  for (const [state, name] of ENDS) if (snapshot.matches(state as never)) return { kind: 'end', name };
  for (const [state, name] of ASKS) if (snapshot.matches(state as never)) return { kind: 'ask', name };
  for (const [state, name] of WAITS) if (snapshot.matches(state as never)) return { kind: 'wait', name };
  // Transient states (route, entry) never settle; anything else is a state this version does not know.
  return { kind: 'wait', name: 'routing' };
}

export const sameStep = (a: Step, b: Step) => a.kind === b.kind && a.name === b.name;

/** What a person reads when a wait starts; undefined for waits too short to mention. */
export function waitLine(name: WaitStep, snapshot: SetupSnapshot): string | undefined {
  const { context } = snapshot;
  const device = context.verification?.otherDevice?.name ?? 'your other device';
  switch (name) {
    case 'sending-code':
      return `Sending a sign-in code to ${context.email}…`;
    case 'checking-code':
      return 'Checking the code…';
    case 'registering':
      return `Creating the account ${context.username}…`;
    case 'verifying-recovery-key':
      return 'Checking the recovery key…';
    case 'creating-recovery-key':
      return 'Creating a new recovery key…';
    case 'confirming-recovery-key':
      return 'Activating the new recovery key…';
    case 'starting-verification':
      return 'Asking your other signed-in devices to verify this one…';
    case 'waiting-other-device':
      return `Waiting for ${device}: open Beeper there and accept the verification request.`;
    case 'waiting-other-confirm':
      return `Waiting for ${device} to confirm the emojis match too…`;
    case 'waiting-server':
      return serverWaitLine(context.session?.state);
    default:
      return undefined;
  }
}

export function serverWaitLine(state: string | undefined): string {
  if (state === 'initializing') return 'Waiting for Beeper to start encrypted messaging…';
  if (state === 'needs-first-sync') return 'Waiting for the first encrypted sync to finish…';
  if (state === 'needs-verification') return 'Verified. Waiting for Beeper to take it in…';
  return `Waiting for Beeper (state: ${state ?? 'unknown'})…`;
}
