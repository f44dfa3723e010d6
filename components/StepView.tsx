/**
 * Picks the step component for a machine snapshot and derives its props.
 * The only place that reads the snapshot's shape; steps get plain data and
 * an `onEvent` that sends to the machine.
 */
import type { ReactElement } from 'react';
import type { SnapshotFrom } from 'xstate';
import type { SetupEvent, SetupMachine } from '../machines/setupMachine.js';
import { parseSasDecimals, parseSasEmojis } from '../src/shared/sas.js';
import { ChooseMethodStep, type MethodChoice } from './ChooseMethodStep.js';
import { CodeStep } from './CodeStep.js';
import { ConfirmScanStep } from './ConfirmScanStep.js';
import { EmailStep } from './EmailStep.js';
import { EmojiCompare } from './EmojiCompare.js';
import { ErrorStep, type ErrorAction } from './ErrorStep.js';
import { useNow, useSinceChange } from './hooks.js';
import type { KeyStorage } from './keyStorage.js';
import { NewKeyIntroStep } from './NewKeyIntroStep.js';
import { NewRecoveryKeyStep } from './NewRecoveryKeyStep.js';
import { explainProblem, inlineProblem, problemDetails } from './problemText.js';
import { QrStep } from './QrStep.js';
import { ReadyStep } from './ReadyStep.js';
import { RecoveryKeyStep } from './RecoveryKeyStep.js';
import { ResetWarningStep } from './ResetWarningStep.js';
import { TermsStep } from './TermsStep.js';
import { UsernameStep } from './UsernameStep.js';
import { WaitingStep, type WaitAction } from './WaitingStep.js';

export type SetupSnapshot = SnapshotFrom<SetupMachine>;

export interface StepViewProps {
  snapshot: SetupSnapshot;
  send: (event: SetupEvent) => void;
  baseUrl: string;
  /** "Beeper Server 4.2.1 on 127.0.0.1:23373". */
  target: string;
  debug: boolean;
  /** Where the token we started with came from, if any. */
  tokenSource?: 'env' | 'saved' | undefined;
  storage: KeyStorage;
  /** --demo: the app is the in-process simulator, gone when the wizard ends. */
  simulated?: boolean | undefined;
  /** Room left for the step by the shell. */
  columns: number;
  rows: number;
  /** The whole terminal. */
  window: { columns: number; rows: number };
}

/** A name for the step on screen: changes when the user sees a new step, not on every poll. */
export function stepId(snapshot: SetupSnapshot): string {
  const value = snapshot.value;
  if (typeof value === 'string') return value;
  if (snapshot.matches({ deviceVerification: 'tracking' })) {
    const tracking = (value as { deviceVerification: { tracking: { step: string } } }).deviceVerification.tracking;
    return `deviceVerification.${tracking.step}`;
  }
  const top = Object.keys(value)[0]!;
  if (top === 'chooseMethod' || top === 'waitingForServer') return top;
  if (snapshot.matches({ signIn: 'enterCode' })) return 'signIn.enterCode';
  const inner = (value as Record<string, unknown>)[top];
  return typeof inner === 'string' ? `${top}.${inner}` : top;
}

const BACK: WaitAction = { key: 'Esc', label: 'back', event: { type: 'BACK' } };
const USE_KEY: WaitAction = { key: 'r', label: 'use recovery key instead', event: { type: 'USE_RECOVERY_KEY' } };

export function StepView({ snapshot, send, baseUrl, target, debug, tokenSource, storage, simulated = false, columns, rows, window }: StepViewProps) {
  const context = snapshot.context;
  const id = stepId(snapshot);
  const since = useSinceChange(id);
  const coolingDown = snapshot.matches({ signIn: { enterCode: 'coolingDown' } });
  const codeSentAt = useSinceChange(`code-${context.codesSent}`);
  const now = useNow(1000, coolingDown);
  const problem = context.problem;
  const fieldProblem = problem && inlineProblem(problem, { baseUrl });
  const verification = context.verification;
  const deviceName = verification?.otherDevice?.name ?? verification?.otherDevice?.id;
  // A poll failure leaves both a count and its problem; the count alone can outlive a step change.
  const retrying = context.pollFailures > 0 && problem ? { failures: context.pollFailures, reason: problem.message } : undefined;
  const wait = (title: string, extra: { detail?: string; actions?: WaitAction[] } = {}): ReactElement => (
    <WaitingStep title={title} since={since} retrying={retrying} onEvent={send} {...extra} />
  );
  const details = debug && problem ? problemDetails(problem) : undefined;
  const m = (state: Parameters<SetupSnapshot['matches']>[0]) => snapshot.matches(state);

  if (m('probing')) return wait(`Connecting to Beeper at ${baseUrl}`);
  if (m('failed') && problem) {
    const text = explainProblem(problem, { baseUrl });
    return <ErrorStep {...text} details={details} actions={[{ key: 'Enter', label: 'try again', event: { type: 'RETRY' } }]} onEvent={send} />;
  }

  // ── Sign-in ───────────────────────────────────────────────────────────
  if (m({ signIn: 'starting' })) return wait('Starting sign-in');
  if (m({ signIn: 'enterEmail' })) return <EmailStep email={context.email} problem={fieldProblem} notice={context.notice} tokenSource={tokenSource} onEvent={send} />;
  if (m({ signIn: 'sendingCode' })) return wait(`Sending a sign-in code to ${context.email}`);
  if (m({ signIn: 'restarting' })) return wait(`Sending a new code to ${context.email}`);
  if (m({ signIn: 'enterCode' })) {
    // Counted from when the code was mailed (not from the last wrong code), like the machine's cooldown.
    const left = coolingDown ? Math.max(1, Math.ceil((codeSentAt + context.resendCooldownMs - now) / 1000)) : 0;
    return <CodeStep email={context.email} problem={fieldProblem} notice={context.notice} resendInSeconds={left} onEvent={send} />;
  }
  if (m({ signIn: 'checkingCode' })) return wait('Checking the code');
  if (m({ signIn: 'chooseUsername' }) && context.registration) {
    const { copy, usernameSuggestions } = context.registration;
    return <UsernameStep copy={copy} suggestions={usernameSuggestions} username={context.username} email={context.email} problem={fieldProblem} onEvent={send} />;
  }
  if (m({ signIn: 'reviewTerms' }) && context.registration) {
    return <TermsStep copy={context.registration.copy} username={context.username} problem={fieldProblem} onEvent={send} />;
  }
  if (m({ signIn: 'registering' })) return wait(`Creating the account ${context.username}`);

  // ── Trusting this device ──────────────────────────────────────────────
  if (m('chooseMethod')) {
    const choices: MethodChoice[] = [];
    if (snapshot.can({ type: 'ACCEPT_INCOMING' })) choices.push('incoming');
    if (snapshot.can({ type: 'CHOOSE_DEVICE' })) choices.push('device');
    if (snapshot.can({ type: 'CHOOSE_RECOVERY_KEY' })) choices.push('recovery-key');
    if (snapshot.can({ type: 'FORGOT_RECOVERY_KEY' })) choices.push('forgot');
    const incoming = context.incomingVerification?.otherDevice;
    return <ChooseMethodStep choices={choices} incomingFrom={incoming?.name ?? incoming?.id} notice={context.notice} onEvent={send} />;
  }
  if (m('enterRecoveryKey')) {
    return (
      <RecoveryKeyStep
        draft={context.recoveryKeyDraft?.reveal() ?? ''}
        problem={fieldProblem}
        canGoBack={snapshot.can({ type: 'BACK' })}
        unlockOnly={context.session?.state === 'needs-secrets'}
        onEvent={send}
      />
    );
  }
  if (m('verifyingRecoveryKey')) return wait('Checking the recovery key');
  if (m({ newRecoveryKey: 'intro' })) return <NewKeyIntroStep onEvent={send} />;
  if (m({ newRecoveryKey: 'warning' })) return <ResetWarningStep problem={fieldProblem} onEvent={send} />;
  if (m({ newRecoveryKey: 'creating' })) return wait('Creating a new recovery key');
  if (m({ newRecoveryKey: 'creationFailed' }) && problem) {
    const wrongOldKey = problem.code === 'WRONG_RECOVERY_KEY';
    const text = wrongOldKey
      ? { title: 'That old key does not belong to this account', message: 'The old recovery key you entered is not this account\'s key.', fix: 'Go back and enter it again, or leave it empty.', retry: false }
      : explainProblem(problem, { baseUrl });
    const actions: ErrorAction[] = [
      ...(text.retry ? [{ key: 'Enter', label: 'try again', event: { type: 'RETRY' } as const }] : []),
      { key: 'Esc', label: 'back', event: { type: 'BACK' } },
    ];
    return <ErrorStep {...text} details={details} actions={actions} onEvent={send} />;
  }
  if (m({ newRecoveryKey: 'showingKey' }) && context.newRecoveryKey) {
    return (
      <NewRecoveryKeyStep
        recoveryKey={context.newRecoveryKey.reveal()}
        reason={context.newKeyReason}
        problem={fieldProblem}
        storage={storage}
        width={columns}
        onEvent={send}
      />
    );
  }
  if (m({ newRecoveryKey: 'confirming' })) return wait('Saving your new recovery key');

  // ── Another device ────────────────────────────────────────────────────
  const other = deviceName ? `your other device (${deviceName})` : 'your other device';
  if (m({ deviceVerification: { tracking: { step: 'showingQr' } } }) && verification?.qr) {
    return (
      <QrStep data={verification.qr.data} deviceName={deviceName} canShowEmoji={snapshot.can({ type: 'SHOW_EMOJI' })} columns={columns} rows={rows} window={window} onEvent={send} />
    );
  }
  const comparing = m({ deviceVerification: { tracking: { step: 'comparingEmojis' } } });
  const confirmed = m({ deviceVerification: { tracking: { step: 'waitingForOtherConfirm' } } });
  if ((comparing || confirmed) && verification?.sas) {
    return (
      <EmojiCompare
        emojis={parseSasEmojis(verification.sas.emojis)}
        decimals={parseSasDecimals(verification.sas.decimals)}
        deviceName={deviceName}
        waiting={confirmed}
        onEvent={send}
      />
    );
  }
  if (m({ deviceVerification: { tracking: { step: 'confirmingScan' } } })) return <ConfirmScanStep deviceName={deviceName} onEvent={send} />;
  if (m({ deviceVerification: 'tracking' })) {
    const asked = verification?.state === 'requested';
    return wait(asked ? `Waiting for ${other} to accept` : `Waiting for ${other}`, {
      detail: asked
        ? 'Open Beeper on a phone or computer where you are signed in and accept the verification request there.'
        : undefined,
      actions: [BACK, USE_KEY],
    });
  }
  if (m({ deviceVerification: 'failed' })) {
    const mismatch = verification?.error?.code === 'm.mismatched_sas' || verification?.error?.code === 'm.key_mismatch';
    // Stopped by a device (its reason), or one of our calls failed (then it is our connection, not the verification).
    const stoppedBy = verification?.error?.reason;
    const failedCall = !stoppedBy && problem ? explainProblem(problem, { baseUrl }) : undefined;
    const reason = stoppedBy ?? failedCall?.message ?? 'The verification ended.';
    return (
      <ErrorStep
        title={mismatch ? 'The devices did not match' : failedCall ? "Couldn't continue the verification" : 'Verification stopped'}
        message={mismatch ? `${reason} For your safety the verification was stopped.` : reason}
        fix={failedCall?.fix ? `${failedCall.fix} Or use your recovery key instead.` : 'Try again, or use your recovery key instead.'}
        details={details}
        actions={[
          { key: 'Enter', label: 'try again', event: { type: 'RETRY' } },
          { key: 'r', label: 'use recovery key', event: { type: 'USE_RECOVERY_KEY' } },
          { key: 'Esc', label: 'other choices', event: { type: 'BACK' } },
        ]}
        onEvent={send}
      />
    );
  }
  if (m({ deviceVerification: 'startingSas' })) return wait('Starting emoji comparison');
  if (m({ deviceVerification: 'confirmingSas' })) return wait('Sending your answer');
  if (m({ deviceVerification: 'confirmingScanned' })) return wait('Finishing the verification');
  if (m({ deviceVerification: 'rejecting' })) return wait('Stopping the verification');
  if (m({ deviceVerification: 'leaving' })) return wait('Cancelling the verification');
  if (m('deviceVerification')) return wait('Asking your other devices to verify this one', { actions: [BACK] });

  // ── Waiting for Beeper, and the end ───────────────────────────────────
  if (m('waitingForServer')) {
    const state = context.session?.state;
    if (state === 'needs-first-sync') return wait('Syncing your chats for the first time', { detail: 'This can take a few minutes on a big account.' });
    if (state === 'initializing') return wait('Beeper is starting encrypted messaging');
    if (state === 'needs-verification') return wait('Finishing the verification');
    return wait(`Waiting for Beeper (it reports "${state ?? 'nothing yet'}")`);
  }
  if (m('ready')) {
    const matrix = context.session?.matrix;
    return <ReadyStep userID={matrix?.userID} deviceID={matrix?.deviceID} homeserver={matrix?.homeserver} target={target} simulated={simulated} />;
  }
  if (m('timedOut')) {
    return (
      <ErrorStep
        title="Stopped waiting"
        message="The wait ran out before Beeper was ready."
        fix="Run beeper-setup again to carry on where Beeper stands (use --timeout to wait longer)."
        actions={[]}
        onEvent={send}
      />
    );
  }
  return wait('Working');
}
