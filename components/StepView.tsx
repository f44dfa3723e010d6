/**
 * Picks the screen for a machine snapshot by the step its state declares
 * (machines/steps.ts) and derives the screen's props. One entry per step
 * name, so a step without a screen is a type error; the only place that
 * reads the snapshot's context; steps get plain data and an `onEvent`.
 */
import type { ReactElement } from 'react';
import type { SnapshotFrom } from 'xstate';
import type { SetupMachine } from '../machines/setupMachine.js';
import { stepOf, type StepName, type WaitStep } from '../machines/steps.js';
import type { SetupContext, SetupEvent } from '../machines/types.js';
import type { Invocation } from '../src/invocation.js';
import { parseSasDecimals, parseSasEmojis } from '../src/shared/sas.js';
import type { TokenSource } from '../src/tokenStore.js';
import { timedOutText } from '../src/wording/endOfRun.js';
import { explainProblem, inlineProblem, missingStepData, problemDetails } from '../src/wording/problems.js';
import { deviceNameOf, noticeText, stallText, verificationNotAppliedText, waitText } from '../src/wording/states.js';
import { AwaitRequestStep } from './AwaitRequestStep.js';
import { ChooseMethodStep, type MethodChoice } from './ChooseMethodStep.js';
import { CodeStep } from './CodeStep.js';
import { ConfirmScanStep } from './ConfirmScanStep.js';
import { EmailStep } from './EmailStep.js';
import { EmojiCompare } from './EmojiCompare.js';
import { ErrorStep } from './ErrorStep.js';
import { useNow, useSinceChange } from './hooks.js';
import type { KeyStorage } from './keyStorage.js';
import { NewKeyIntroStep } from './NewKeyIntroStep.js';
import { NewRecoveryKeyStep } from './NewRecoveryKeyStep.js';
import { OfferEmojiStep } from './OfferEmojiStep.js';
import { QrPayloadStep, type ScannedQrFile } from './QrPayloadStep.js';
import { QrStep } from './QrStep.js';
import { ReadyStep } from './ReadyStep.js';
import { RecoveryKeyStep } from './RecoveryKeyStep.js';
import { ResetWarningStep } from './ResetWarningStep.js';
import { TermsStep } from './TermsStep.js';
import { UsernameStep } from './UsernameStep.js';
import { VerifiedStep } from './VerifiedStep.js';
import type { EventKey } from './Screen.js';
import { WaitingStep } from './WaitingStep.js';

export type SetupSnapshot = SnapshotFrom<SetupMachine>;

export interface StepViewProps {
  snapshot: SetupSnapshot;
  send: (event: SetupEvent) => void;
  baseUrl: string;
  /** "Beeper Server 4.2.1 on 127.0.0.1:23373". */
  target: string;
  debug: boolean;
  /** Where the token we started with came from, if any. */
  tokenSource?: TokenSource | undefined;
  storage: KeyStorage;
  /** --demo: the app is the in-process simulator, gone when the wizard ends. */
  simulated?: boolean | undefined;
  /** The language emoji names are shown in. */
  language: string;
  /** How beeper-setup was started here (the ready screen's commands). */
  invocation?: Invocation | undefined;
  /** Columns the step is drawn in (the screens that must be seen whole check their rows with the shell, whole.ts). */
  columns: number;
  /** verify --qr-file PATH: the file the other device's scanned payload is read from once it shows its code. */
  qrFile?: ScannedQrFile | undefined;
}

/** What every screen function gets: the view's props, the context, and shared derivations. */
interface ScreenArgs<S extends StepName = StepName> extends StepViewProps {
  context: SetupContext;
  step: S;
  /** When the current step began (for elapsed times). */
  since: number;
  /** When the last code was mailed: the resend countdown runs from it across wrong codes. */
  codeSentAt: number;
  /** The problem as shown under a field. */
  fieldProblem: ReturnType<typeof inlineProblem> | undefined;
  details: string[] | undefined;
  /** The screen of a wait step: what is awaited, in words (src/wording/states.ts). */
  wait(step: WaitStep, extra?: { actions?: EventKey[] }): ReactElement;
  /** The step's data is not in the context: a bug in beeper-setup, said as one (--debug names what is missing). */
  missing(what: string): ReactElement;
}

const BACK: EventKey = { key: 'Esc', label: 'back', event: { type: 'BACK' } };
const USE_KEY: EventKey = { key: 'r', label: 'use recovery key instead', event: { type: 'USE_RECOVERY_KEY' } };

/** Ways out of a verification wait: back, and (setting this device up) the recovery key. */
const verificationEventKeys = (context: SetupContext) => (context.mode === 'vouch' ? [BACK] : [BACK, USE_KEY]);

const methodChoices = (snapshot: SetupSnapshot): MethodChoice[] =>
  (
    [
      ['incoming', { type: 'ACCEPT_INCOMING' }],
      ['device', { type: 'CHOOSE_DEVICE' }],
      ['recovery-key', { type: 'CHOOSE_RECOVERY_KEY' }],
      ['forgot', { type: 'FORGOT_RECOVERY_KEY' }],
    ] as const
  )
    .filter(([, event]) => snapshot.can(event))
    .map(([choice]) => choice);

/** One screen per step name: a step without one fails the typecheck. */
export const SCREENS: { [S in StepName]: (args: ScreenArgs<S>) => ReactElement | null } = {
  connecting: ({ step, wait }) => wait(step),
  reconnecting: ({ step, wait }) => wait(step),
  routing: ({ step, wait }) => wait(step),
  'starting-sign-in': ({ step, wait }) => wait(step),
  email: ({ context, fieldProblem, tokenSource, send }) => (
    <EmailStep email={context.email} problem={fieldProblem} notice={noticeText(context.notice, context, tokenSource)} onEvent={send} />
  ),
  'sending-code': ({ step, wait }) => wait(step),
  code: (args) => <CodeScreen {...args} />,
  'checking-code': ({ step, wait }) => wait(step),
  username: ({ context, fieldProblem, send, missing }) =>
    context.registration ? (
      <UsernameStep
        copy={context.registration.copy}
        suggestions={context.registration.usernameSuggestions}
        username={context.username}
        email={context.email}
        problem={fieldProblem}
        notice={noticeText(context.notice, context)}
        termsAccepted={context.termsAccepted}
        onEvent={send}
      />
    ) : (
      missing('the registration')
    ),
  terms: ({ context, fieldProblem, send, missing }) =>
    context.registration ? <TermsStep copy={context.registration.copy} username={context.username} problem={fieldProblem} onEvent={send} /> : missing('the registration'),
  registering: ({ step, wait }) => wait(step),
  'choose-method': ({ snapshot, context, send }) => (
    <ChooseMethodStep
      choices={methodChoices(snapshot)}
      incomingFrom={deviceNameOf(context.incomingVerification)}
      notice={noticeText(context.notice, context)}
      onEvent={send}
    />
  ),
  'recovery-key': ({ snapshot, context, fieldProblem, send }) => (
    <RecoveryKeyStep
      draft={context.recoveryKeyDraft?.reveal() ?? ''}
      problem={fieldProblem}
      canGoBack={snapshot.can({ type: 'BACK' })}
      unlockOnly={context.session?.state === 'needs-secrets'}
      notice={noticeText(context.notice, context)}
      onEvent={send}
    />
  ),
  'verifying-recovery-key': ({ step, wait }) => wait(step),
  'reset-warning': ({ fieldProblem, send }) => <ResetWarningStep problem={fieldProblem} onEvent={send} />,
  'create-recovery-key': ({ send }) => <NewKeyIntroStep onEvent={send} />,
  'creating-recovery-key': ({ step, wait }) => wait(step),
  'creation-failed': ({ context, baseUrl, details, send, missing }) => {
    const problem = context.problem;
    if (!problem) return missing('the problem');
    const wrongOldKey = problem.code === 'WRONG_RECOVERY_KEY';
    const text = wrongOldKey
      ? { title: 'That old key does not belong to this account', message: "The old recovery key you entered is not this account's key.", fix: 'Go back and enter it again, or leave it empty.', retry: false }
      : explainProblem(problem, { baseUrl });
    const actions: EventKey[] = [
      ...(text.retry ? [{ key: 'Enter', label: 'try again', event: { type: 'RETRY' } as const }] : []),
      { key: 'Esc', label: 'back', event: { type: 'BACK' } },
    ];
    return <ErrorStep {...text} details={details} actions={actions} onEvent={send} />;
  },
  'save-recovery-key': ({ context, fieldProblem, storage, columns, send, missing }) =>
    context.newRecoveryKey ? (
      <NewRecoveryKeyStep
        recoveryKey={context.newRecoveryKey.reveal()}
        reason={context.newKeyReason}
        problem={fieldProblem}
        storage={storage}
        width={columns}
        onEvent={send}
      />
    ) : (
      missing('the new recovery key')
    ),
  'confirming-recovery-key': ({ step, wait }) => wait(step),
  'starting-verification': ({ step, wait, context }) => wait(step, { actions: context.mode === 'vouch' ? [] : [BACK] }),
  'waiting-other-device': ({ step, wait, context }) => wait(step, { actions: verificationEventKeys(context) }),
  'showing-qr': ({ snapshot, context, send, missing }) =>
    context.verification?.qr ? (
      <QrStep data={context.verification.qr.data} deviceName={deviceNameOf(context.verification)} canShowEmoji={snapshot.can({ type: 'SHOW_EMOJI' })} onEvent={send} />
    ) : (
      missing('the QR code')
    ),
  'offer-emoji': ({ context, send, missing }) =>
    context.verification?.qr ? <OfferEmojiStep data={context.verification.qr.data} deviceName={deviceNameOf(context.verification)} onEvent={send} /> : missing('the QR code'),
  'starting-sas': ({ step, wait }) => wait(step),
  'compare-emojis': (args) => <EmojiScreen {...args} waiting={false} />,
  'confirming-sas': ({ step, wait }) => wait(step),
  'waiting-other-confirm': (args) => <EmojiScreen {...args} waiting />,
  'confirm-scan': ({ context, send }) => <ConfirmScanStep deviceName={deviceNameOf(context.verification)} onEvent={send} />,
  'confirming-scan': ({ step, wait }) => wait(step),
  rejecting: ({ step, wait }) => wait(step),
  cancelling: ({ step, wait }) => wait(step),
  'verification-failed': ({ context, baseUrl, details, send }) => {
    const { verification, problem } = context;
    const mismatch = verification?.error?.code === 'm.mismatched_sas' || verification?.error?.code === 'm.key_mismatch';
    // Stopped by a device (its reason), or one of our calls failed (then it is our connection, not the verification).
    const stoppedBy = verification?.error?.reason;
    const failedCall = !stoppedBy && problem ? explainProblem(problem, { baseUrl }) : undefined;
    const reason = stoppedBy ?? failedCall?.message ?? 'The verification ended.';
    const vouching = context.mode === 'vouch';
    return (
      <ErrorStep
        title={mismatch ? 'The devices did not match' : failedCall ? "Couldn't continue the verification" : 'Verification stopped'}
        message={mismatch ? `${reason} For your safety the verification was stopped.` : reason}
        fix={vouching ? 'Try again.' : failedCall?.fix ? `${failedCall.fix} Or use your recovery key instead.` : 'Try again, or use your recovery key instead.'}
        details={details}
        actions={[
          { key: 'Enter', label: 'try again', event: { type: 'RETRY' } },
          ...(vouching ? [] : [{ key: 'r', label: 'use recovery key', event: { type: 'USE_RECOVERY_KEY' } } as const]),
          { key: 'Esc', label: vouching ? 'back' : 'other choices', event: { type: 'BACK' } },
        ]}
        onEvent={send}
      />
    );
  },
  'verification-not-applied': ({ context, send }) => {
    const text = verificationNotAppliedText(context);
    return (
      <ErrorStep
        {...text}
        actions={[
          { key: 'Enter', label: 'verify again', event: { type: 'CHOOSE_DEVICE' } },
          { key: 'r', label: 'use recovery key', event: { type: 'USE_RECOVERY_KEY' } },
          { key: 'Esc', label: 'other choices', event: { type: 'BACK' } },
        ]}
        onEvent={send}
      />
    );
  },
  'awaiting-request': ({ context, since, send }) => (
    <AwaitRequestStep incomingFrom={deviceNameOf(context.incomingVerification)} since={since} waitOnly={!!context.vouch.waitForRequest} onEvent={send} />
  ),
  'qr-payload': ({ context, qrFile, send }) => <QrPayloadStep deviceName={deviceNameOf(context.verification)} file={qrFile} onEvent={send} />,
  'submitting-qr': ({ step, wait }) => wait(step),
  'waiting-server': ({ step, wait }) => wait(step),
  failed: ({ context, baseUrl, details, send, missing }) => {
    if (!context.problem) return missing('the problem');
    const text = explainProblem(context.problem, { baseUrl });
    return (
      <ErrorStep {...text} details={details} actions={text.retry ? [{ key: 'Enter', label: 'try again', event: { type: 'RETRY' } }] : []} onEvent={send} />
    );
  },
  ready: ({ context, target, simulated, invocation }) => {
    const matrix = context.session?.matrix;
    return <ReadyStep userID={matrix?.userID} deviceID={matrix?.deviceID} homeserver={matrix?.homeserver} target={target} simulated={simulated} invocation={invocation} />;
  },
  verified: ({ context }) => <VerifiedStep verification={context.verification} />,
  'timed-out': ({ context, send }) => <ErrorStep {...timedOutText(context)} actions={[]} onEvent={send} />,
  // The shell shows nothing once interrupted; runInteractive prints how to continue.
  interrupted: () => null,
};

function CodeScreen({ context, fieldProblem, codeSentAt, send }: ScreenArgs) {
  const coolingDown = context.resendReady === false;
  const now = useNow(1000, coolingDown);
  // Counted from when the code was mailed (not from the last wrong code), like the machine's cooldown.
  const left = coolingDown ? Math.max(1, Math.ceil((codeSentAt + context.resendCooldownMs - now) / 1000)) : 0;
  return <CodeStep email={context.email} problem={fieldProblem} notice={context.notice} noticeText={noticeText(context.notice, context)} resendInSeconds={left} onEvent={send} />;
}

function EmojiScreen({ context, language, columns, send, missing, waiting }: ScreenArgs & { waiting: boolean }) {
  const sas = context.verification?.sas;
  if (!sas) return missing('the emojis');
  return (
    <EmojiCompare
      emojis={parseSasEmojis(sas.emojis)}
      decimals={parseSasDecimals(sas.decimals)}
      deviceName={deviceNameOf(context.verification)}
      language={language}
      width={columns}
      waiting={waiting}
      onEvent={send}
    />
  );
}

export function StepView(props: StepViewProps) {
  const { snapshot, send, baseUrl, debug } = props;
  const context = snapshot.context;
  const step = stepOf(snapshot).step;
  const since = useSinceChange(step);
  // Here, not in the code screen: checking a code leaves that screen, and coming back must not restart the count.
  const codeSentAt = useSinceChange(`code-${context.codesSent}`);
  const problem = context.problem;
  // A poll failure leaves both a count and its problem; the count alone can outlive a step change.
  const retrying = context.pollFailures > 0 && problem ? { failures: context.pollFailures, reason: problem.message } : undefined;
  const args: ScreenArgs = {
    ...props,
    context,
    step,
    since,
    codeSentAt,
    fieldProblem: problem && inlineProblem(problem, { baseUrl }),
    details: debug && problem ? problemDetails(problem) : undefined,
    wait: (waitStep, extra = {}) => {
      const text = waitText(waitStep, context, { baseUrl });
      return (
        <WaitingStep
          title={text.title}
          detail={text.detail}
          stall={stallText(waitStep, context, 'wizard')}
          notice={context.notice === 'connection-lost' ? noticeText(context.notice, context) : undefined}
          since={since}
          retrying={retrying}
          onEvent={send}
          {...extra}
        />
      );
    },
    missing: (what) => {
      const bug = missingStepData(step, what);
      return <ErrorStep {...explainProblem(bug, { baseUrl })} details={debug ? problemDetails(bug) : undefined} actions={[]} onEvent={send} />;
    },
  };
  // Each entry takes the args of its own step; `step` is the one these args were made for.
  return (SCREENS[step] as (args: ScreenArgs) => ReactElement | null)(args);
}
