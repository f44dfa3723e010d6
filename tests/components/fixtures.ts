/** Snapshots of the real machine at chosen states, for testing the shell without HTTP. */
import { createActor } from 'xstate';
import type { SetupApi } from '../../machines/api.js';
import { setupMachine } from '../../machines/setupMachine.js';
import type { SetupContext } from '../../machines/types.js';
import type { AppInfo, Session, Verification } from '../../src/api/types.js';
import type { SetupSnapshot } from '../../components/StepView.js';
import type { StepName } from '../../machines/steps.js';
import { Secret } from '../../src/shared/secret.js';
import { recordingPersistence } from '../support/persistence.js';

export const APP: AppInfo = { app: { name: 'Beeper Server', version: '4.2.1', bundle_id: 'com.automattic.beeper.server' } };

export function session(state: string, extra: Partial<Session> = {}): Session {
  return {
    state,
    matrix: { userID: '@alice:beeper.com', deviceID: 'ABCDEFGHIJ', homeserver: 'https://matrix.beeper.com' },
    e2ee: {
      initialized: true,
      crossSigning: true,
      verified: false,
      secretStorage: true,
      keyBackup: true,
      firstSyncDone: false,
      hasBackedUpRecoveryKey: true,
      secrets: { masterKey: false, selfSigningKey: false, userSigningKey: false, megolmBackupKey: false, recoveryKey: false },
    },
    ...extra,
  };
}

export function verification(extra: Partial<Verification> = {}): Verification {
  return {
    id: '$abc/def:beeper.com',
    state: 'requested',
    availableActions: ['cancel'],
    direction: 'outgoing',
    methods: ['qr', 'sas'],
    purpose: 'login',
    otherDevice: { id: 'PHONEDEVICE', name: 'Pixel 8' },
    ...extra,
  };
}

/** The machine's own initial context (so new fields need no fixture change), set up for rendering steps. */
const initialContext = createActor(setupMachine, { input: { api: {} as SetupApi, persistence: recordingPersistence() } }).getSnapshot().context;

export function context(overrides: Partial<SetupContext> = {}): SetupContext {
  return { ...initialContext, app: APP, email: 'alice@example.com', setupRequestID: 'req', ...overrides };
}

export function snapshotAt(value: Parameters<typeof setupMachine.resolveState>[0]['value'], overrides: Partial<SetupContext> = {}): SetupSnapshot {
  return setupMachine.resolveState({ value, context: context(overrides) });
}

const REGISTRATION = {
  setupRequestID: 'req',
  leadToken: new Secret('lead-token'),
  usernameSuggestions: ['carol', 'carol42'],
  copy: { title: 'Choose your username', usernamePlaceholder: 'Username', terms: 'By continuing, you agree to the Terms of Use.', submit: 'Continue' },
};
const KEY = 'EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN UE4d';
const QR = Buffer.concat([Buffer.from('MATRIX\u0002\u0002\u0000\u0004txid', 'latin1'), Buffer.alloc(80, 7)]).toString('base64');
const needsVerification = session('needs-verification');
const tracking = (step: string) => ({ deviceVerification: { tracking: { poll: 'idle', step } } });

/** One snapshot for every step the machine declares (a step without one is a type error here). */
export const STEP_FIXTURES: Record<StepName, () => SetupSnapshot> = {
  connecting: () => snapshotAt('probing'),
  reconnecting: () => snapshotAt({ reconnecting: 'idle' }, { notice: 'connection-lost' }),
  routing: () => snapshotAt('route'),
  'starting-sign-in': () => snapshotAt({ signIn: 'starting' }),
  email: () => snapshotAt({ signIn: 'enterEmail' }, { email: '' }),
  'sending-code': () => snapshotAt({ signIn: 'sendingCode' }),
  code: () => snapshotAt({ signIn: { enterCode: 'resendAvailable' } }, { resendReady: true }),
  'checking-code': () => snapshotAt({ signIn: 'checkingCode' }),
  username: () => snapshotAt({ signIn: 'chooseUsername' }, { registration: REGISTRATION }),
  terms: () => snapshotAt({ signIn: 'reviewTerms' }, { registration: REGISTRATION, username: 'carol' }),
  registering: () => snapshotAt({ signIn: 'registering' }, { username: 'carol' }),
  'choose-method': () => snapshotAt({ chooseMethod: 'idle' }, { session: needsVerification }),
  'recovery-key': () => snapshotAt('enterRecoveryKey', { session: needsVerification }),
  'verifying-recovery-key': () => snapshotAt('verifyingRecoveryKey'),
  'reset-warning': () => snapshotAt({ newRecoveryKey: 'warning' }, { session: needsVerification }),
  'create-recovery-key': () => snapshotAt({ newRecoveryKey: 'intro' }, { session: session('needs-cross-signing-setup') }),
  'creating-recovery-key': () => snapshotAt({ newRecoveryKey: 'creating' }),
  'creation-failed': () =>
    snapshotAt({ newRecoveryKey: 'creationFailed' }, { problem: { kind: 'server', message: 'Boom', status: 500, call: 'POST /v1/app/setup/verification/recovery-key/reset' } }),
  'save-recovery-key': () => snapshotAt({ newRecoveryKey: 'showingKey' }, { newRecoveryKey: new Secret(KEY), newKeyReason: 'new-account' }),
  'confirming-recovery-key': () => snapshotAt({ newRecoveryKey: 'confirming' }),
  'starting-verification': () => snapshotAt({ deviceVerification: 'beginning' }, { session: needsVerification }),
  'waiting-other-device': () => snapshotAt(tracking('waitingForOtherDevice'), { session: needsVerification, verification: verification() }),
  'showing-qr': () =>
    snapshotAt(tracking('showingQr'), {
      session: needsVerification,
      verification: verification({ state: 'ready', qr: { data: QR }, availableActions: ['sas.start', 'cancel'] }),
    }),
  'offer-emoji': () =>
    snapshotAt(tracking('offeringEmoji'), {
      session: needsVerification,
      qrRoom: 0,
      verification: verification({ state: 'ready', qr: { data: QR }, availableActions: ['sas.start', 'cancel'] }),
    }),
  'starting-sas': () => snapshotAt({ deviceVerification: 'startingSas' }),
  'compare-emojis': () =>
    snapshotAt(tracking('comparingEmojis'), {
      session: needsVerification,
      verification: verification({ state: 'sas_ready', sas: { emojis: '🐶 ✈️ ☂️ 🐱 🦁 🐎 🦄', decimals: '1234 5678 9012' }, availableActions: ['sas.confirm', 'cancel'] }),
    }),
  'confirming-sas': () => snapshotAt({ deviceVerification: 'confirmingSas' }),
  'waiting-other-confirm': () =>
    snapshotAt(tracking('waitingForOtherConfirm'), {
      session: needsVerification,
      sasConfirmed: true,
      verification: verification({ state: 'sas_ready', sas: { emojis: '🐶 ✈️ ☂️ 🐱 🦁 🐎 🦄', decimals: '1234 5678 9012' }, availableActions: ['cancel'] }),
    }),
  'confirm-scan': () =>
    snapshotAt(tracking('confirmingScan'), { session: needsVerification, verification: verification({ state: 'qr_scanned', availableActions: ['qr.confirmScanned', 'cancel'] }) }),
  'confirming-scan': () => snapshotAt({ deviceVerification: 'confirmingScanned' }),
  rejecting: () => snapshotAt({ deviceVerification: 'rejecting' }),
  cancelling: () => snapshotAt({ deviceVerification: 'leaving' }),
  'verification-failed': () =>
    snapshotAt(
      { deviceVerification: 'failed' },
      { session: needsVerification, verification: verification({ state: 'cancelled', error: { code: 'm.user', reason: 'The other device cancelled.' } }) },
    ),
  'verification-not-applied': () => snapshotAt({ verificationNotApplied: 'idle' }, { session: needsVerification, verification: verification({ state: 'done' }) }),
  'awaiting-request': () => snapshotAt({ vouching: 'idle' }, { mode: 'vouch', session: session('ready') }),
  'qr-payload': () =>
    snapshotAt(tracking('enteringQr'), {
      mode: 'vouch',
      vouch: { scanQr: true },
      session: session('ready'),
      verification: verification({ state: 'ready', direction: 'incoming', purpose: 'device', otherDevice: { id: 'NEW', name: 'MacBook Air' }, availableActions: ['sas.start', 'cancel'] }),
    }),
  'submitting-qr': () => snapshotAt({ deviceVerification: 'submittingQr' }, { mode: 'vouch' }),
  'waiting-server': () => snapshotAt({ firstSync: 'idle' }, { session: session('needs-first-sync') }),
  failed: () => snapshotAt('failed', { problem: { kind: 'unreachable', message: 'Nothing answered.', baseUrl: 'http://127.0.0.1:23373', reason: 'refused' } }),
  ready: () => snapshotAt('ready', { session: session('ready') }),
  verified: () => snapshotAt('vouched', { mode: 'vouch', session: session('ready'), verification: verification({ state: 'done', otherDevice: { id: 'NEW', name: 'MacBook Air' } }) }),
  'timed-out': () => snapshotAt('timedOut'),
  interrupted: () => snapshotAt('interrupted'),
};
