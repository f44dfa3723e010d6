/** Snapshots of the real machine at chosen states, for testing the shell without HTTP. */
import { createActor } from 'xstate';
import type { SetupApi } from '../../machines/api.js';
import { setupMachine, type SetupContext } from '../../machines/setupMachine.js';
import type { AppInfo, Session, Verification } from '../../src/api/types.js';
import type { SetupSnapshot } from '../../components/StepView.js';

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
const initialContext = createActor(setupMachine, { input: { api: {} as SetupApi } }).getSnapshot().context;

export function context(overrides: Partial<SetupContext> = {}): SetupContext {
  return { ...initialContext, app: APP, email: 'alice@example.com', setupRequestID: 'req', ...overrides };
}

export function snapshotAt(value: Parameters<typeof setupMachine.resolveState>[0]['value'], overrides: Partial<SetupContext> = {}): SetupSnapshot {
  return setupMachine.resolveState({ value, context: context(overrides) });
}
