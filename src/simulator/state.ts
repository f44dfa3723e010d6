/**
 * The app model: one Beeper Desktop/Server instance, signed out or signed in to one
 * account. The session state is derived from timestamps on every read, so no timer
 * drives `initializing` or `needs-first-sync`.
 */
import type { E2EEStatus, KnownSessionState, MatrixCredentials, Session } from '../api/types.js';
import { checkRecoveryKey, describeRecoveryKeyProblem, sameRecoveryKey } from '../shared/recoveryKey.js';
import { HOMESERVER } from './accounts.js';
import { SimError, invalidState, unauthorized } from './errors.js';
import { HOSTILE_TEXT } from './present.js';
import { deviceID, newRecoveryKey, randomToken, type Rng } from './random.js';
import type { SimAccount, SimulatorConfig } from './types.js';
import { VerificationBook, toWire, type VerificationEvent, type VerificationRecord } from './verification.js';

export interface AppDeps {
  now(): number;
  rng: Rng;
  config: SimulatorConfig;
  onVerificationEvent(event: VerificationEvent): void;
}

interface SignedIn {
  account: SimAccount;
  accessToken: string;
  /** `initializing` ends here. */
  initializedAt: number;
  /** This device is verified (cross-signed). */
  trusted: boolean;
  /** The account's secrets are on this device. */
  secrets: boolean;
  /** Set once trusted with secrets: `needs-first-sync` until then, `ready` after. */
  syncDoneAt?: number;
  /** A new key from `reset`, waiting for `reset/confirm`. */
  pendingKey?: string;
  book: VerificationBook;
}

const KEY_STATES: readonly KnownSessionState[] = ['needs-cross-signing-setup', 'needs-verification', 'needs-secrets'];

export class AppState {
  private signedIn?: SignedIn;
  /** This app's device: kept across re-sign-in, new after sign-out. */
  private deviceID: string;

  constructor(private readonly deps: AppDeps) {
    this.deviceID = deviceID(deps.rng);
  }

  state(): KnownSessionState {
    const s = this.signedIn;
    if (!s) return 'needs-login';
    if (this.deps.now() < s.initializedAt) return 'initializing';
    if (!s.account.crossSigning) return 'needs-cross-signing-setup';
    if (!s.trusted) return 'needs-verification';
    if (!s.secrets || s.syncDoneAt === undefined) return 'needs-secrets';
    return this.deps.now() < s.syncDoneAt ? 'needs-first-sync' : 'ready';
  }

  session(): Session {
    const state = this.state();
    const s = this.signedIn;
    const current = s?.book.current();
    return {
      state,
      ...(s ? { matrix: { deviceID: this.deviceID, homeserver: HOMESERVER, userID: s.account.userID } } : {}),
      ...(current ? { verification: toWire(current, this.deps.config.profile) } : {}),
      e2ee: this.e2ee(state),
    };
  }

  get isSignedIn(): boolean {
    return this.signedIn !== undefined;
  }

  /** One app, one account: signing in to another one needs a sign-out first. */
  assertCanSignIn(email: string): void {
    if (this.signedIn && this.signedIn.account.email !== email) {
      throw invalidState(`This app is already signed in as ${this.signedIn.account.userID}. Sign out first.`);
    }
  }

  /** Signs in (or re-signs in: new token, same account, device and progress). */
  signIn(account: SimAccount): { matrix: MatrixCredentials; session: Session } {
    this.assertCanSignIn(account.email);
    const accessToken = `syt_${randomToken(this.deps.rng, 24)}`;
    if (this.signedIn) {
      this.signedIn.accessToken = accessToken;
    } else {
      this.signedIn = {
        account,
        accessToken,
        initializedAt: this.deps.now() + this.deps.config.timings.initializingMs,
        trusted: false,
        secrets: false,
        book: new VerificationBook(
          {
            now: this.deps.now,
            rng: this.deps.rng,
            sasNumbers: () => this.deps.config.sasNumbers,
            onEvent: this.deps.onVerificationEvent,
            onDone: (record) => this.verified(record),
          },
          { userID: account.userID, otherDeviceName: account.otherDeviceName, newDeviceName: account.newDeviceName },
        ),
      };
    }
    const matrix = { accessToken, deviceID: this.deviceID, homeserver: HOMESERVER, userID: account.userID };
    return { matrix, session: this.session() };
  }

  /** Back to needs-login; the next sign-in is a new device. */
  signOut(): void {
    this.signedIn = undefined;
    this.deviceID = deviceID(this.deps.rng);
  }

  /** Another client signed in to this app: a new token that nobody here knows; the old one is void. */
  revokeToken(): void {
    if (!this.signedIn) throw invalidState('The app is not signed in.');
    this.signedIn.accessToken = `syt_${randomToken(this.deps.rng, 24)}`;
  }

  /** Devices the signed-in account's app has verified from `ready`. */
  verifiedDevices(): string[] {
    return [...(this.signedIn?.account.verifiedDevices ?? [])];
  }

  /** Checks `Authorization: Bearer <token>`; throws 401. */
  authenticate(authorization: string | undefined): void {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!this.signedIn || token !== this.signedIn.accessToken) throw unauthorized();
  }

  /** The signed-in app's verifications (409 when signed out). */
  verifications(): VerificationBook {
    if (!this.signedIn) throw invalidState('The app is not signed in.');
    return this.signedIn.book;
  }

  /**
   * While setting up, this device asks the phone to verify it; once `ready`, it verifies the
   * user's new device. An absent purpose is inferred from that (login / device).
   */
  startVerification(purpose: 'login' | 'device' | undefined, userID: string | undefined): VerificationRecord {
    const s = this.requireState(['needs-verification', 'ready'], 'start a verification');
    const clean = s.account.userID;
    if (userID !== undefined && userID !== clean && !(this.deps.config.hostileText && userID === clean + HOSTILE_TEXT)) {
      throw new SimError(400, 'INVALID_USER_ID', `This app can only verify devices of ${clean}.`);
    }
    const context = this.state() === 'ready' ? 'ready' : 'setup';
    const used = purpose ?? (context === 'ready' ? 'device' : 'login');
    if (context === 'ready' && used === 'login') {
      throw invalidState('This device is already verified. Use purpose "device" to verify another device.');
    }
    return s.book.create('outgoing', used, context);
  }

  /** The other device asks: the phone to verify this one (setup), or the new device to be verified (ready). */
  incomingVerification(): VerificationRecord {
    const s = this.requireState(['needs-verification', 'ready'], 'receive a verification request');
    return this.state() === 'ready' ? s.book.create('incoming', 'device', 'ready') : s.book.create('incoming', 'login', 'setup');
  }

  useRecoveryKey(text: string): void {
    const s = this.requireState(['needs-verification', 'needs-secrets'], 'use a recovery key');
    assertDecodable(text);
    if (!s.account.recoveryKey || !sameRecoveryKey(text, s.account.recoveryKey)) throw wrongKey();
    this.unlocked(s, 'This device was verified with the recovery key.');
  }

  /** A new key, pending until confirmed. */
  resetRecoveryKey(existingRecoveryKey: string | undefined): string {
    const s = this.requireState(KEY_STATES, 'reset the recovery key');
    if (existingRecoveryKey !== undefined && existingRecoveryKey.trim() !== '') {
      assertDecodable(existingRecoveryKey);
      if (!s.account.recoveryKey || !sameRecoveryKey(existingRecoveryKey, s.account.recoveryKey)) throw wrongKey();
    }
    s.pendingKey = newRecoveryKey(this.deps.rng);
    return s.pendingKey;
  }

  confirmRecoveryKey(text: string): void {
    const s = this.requireState(KEY_STATES, 'confirm a new recovery key');
    if (!s.pendingKey) throw invalidState('No new recovery key is waiting to be confirmed. Create one first.');
    if (!sameRecoveryKey(text, s.pendingKey)) throw wrongKey('That is not the new recovery key.');
    s.account.recoveryKey = s.pendingKey;
    s.account.recoveryKeyGeneratedAt = this.deps.now();
    s.account.crossSigning = true;
    s.pendingKey = undefined;
    this.unlocked(s, 'This device was verified with a new recovery key.');
  }

  private requireState(allowed: readonly KnownSessionState[], what: string): SignedIn {
    const state = this.state();
    if (!this.signedIn || !allowed.includes(state)) throw invalidState(`Cannot ${what} while the app is "${state}".`);
    return this.signedIn;
  }

  /** Trusted with all secrets: the first sync starts. */
  private unlocked(s: SignedIn, reason: string): void {
    s.trusted = true;
    s.secrets = true;
    s.syncDoneAt = this.deps.now() + this.deps.config.timings.firstSyncMs;
    s.book.cancelActive(reason);
  }

  /** A verification reached done: who is trusted now depends on its context, purpose and profile. */
  private verified(record: VerificationRecord): void {
    const s = this.signedIn;
    if (!s) return;
    if (record.context === 'ready') {
      if (!s.account.verifiedDevices.includes(record.otherDevice.name)) s.account.verifiedDevices.push(record.otherDevice.name);
      return;
    }
    if (this.deps.config.withholdTrust) return;
    // Strict reads "device" as "verify one of my OTHER devices": this one stays untrusted.
    if (this.deps.config.profile === 'strict' && record.purpose !== 'login') return;
    s.trusted = true;
    if (s.account.sharesSecrets) {
      s.secrets = true;
      s.syncDoneAt = this.deps.now() + this.deps.config.timings.firstSyncMs;
    }
  }

  /** "unix time" in the contract: lenient says seconds, strict milliseconds. */
  private generatedAt(epochMs: number): number {
    return this.deps.config.profile === 'strict' ? epochMs : Math.floor(epochMs / 1000);
  }

  private e2ee(state: KnownSessionState): E2EEStatus {
    const s = state === 'needs-login' || state === 'initializing' ? undefined : this.signedIn;
    const hasKeys = Boolean(s?.account.crossSigning);
    const secrets = Boolean(s?.secrets);
    return {
      initialized: Boolean(s),
      crossSigning: hasKeys,
      verified: Boolean(s?.trusted),
      secretStorage: hasKeys,
      keyBackup: hasKeys,
      firstSyncDone: state === 'ready',
      // The only way the simulated account gets a key is confirming it saved (or being seeded with one).
      hasBackedUpRecoveryKey: hasKeys,
      ...(s?.account.recoveryKeyGeneratedAt !== undefined ? { recoveryKeyGeneratedAt: this.generatedAt(s.account.recoveryKeyGeneratedAt) } : {}),
      secrets: {
        masterKey: secrets,
        selfSigningKey: secrets,
        userSigningKey: secrets,
        megolmBackupKey: secrets,
        recoveryKey: secrets,
      },
    };
  }
}

function assertDecodable(text: string): void {
  const check = checkRecoveryKey(text);
  if (!check.ok) throw new SimError(400, 'INVALID_RECOVERY_KEY', describeRecoveryKeyProblem(check.reason));
}

const wrongKey = (message = 'That recovery key does not belong to this account.') =>
  new SimError(400, 'WRONG_RECOVERY_KEY', message);
