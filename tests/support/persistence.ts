/** A Persistence for machine and component tests: remembers what the flow asked to keep, writes nothing. */
import type { Persistence } from '../../machines/types.js';
import type { Secret } from '../../src/shared/secret.js';

export type PersistenceCall =
  | { kind: 'rememberToken'; token: string }
  | { kind: 'forgetSavedToken' }
  | { kind: 'rememberPendingSignIn'; setupRequestID: string | undefined }
  | { kind: 'recordKeyFile' | 'rememberKeyFileState'; path: string | undefined; state: string };

export interface RecordingPersistence extends Persistence {
  /** Every call, in order, secrets revealed for comparison. */
  calls: PersistenceCall[];
}

export function recordingPersistence(): RecordingPersistence {
  const calls: PersistenceCall[] = [];
  return {
    calls,
    rememberToken: (token: Secret) => void calls.push({ kind: 'rememberToken', token: token.reveal() }),
    forgetSavedToken: () => void calls.push({ kind: 'forgetSavedToken' }),
    rememberPendingSignIn: (pending) => void calls.push({ kind: 'rememberPendingSignIn', setupRequestID: pending?.setupRequestID }),
    recordKeyFile: async (path, state) => void calls.push({ kind: 'recordKeyFile', path, state }),
    rememberKeyFileState: (path, state) => void calls.push({ kind: 'rememberKeyFileState', path, state }),
  };
}
