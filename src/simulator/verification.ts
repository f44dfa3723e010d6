/**
 * Device verifications of the signed-in app, seen from this device ("us") and the
 * simulated other device ("them"). `availableActions` is derived from the record,
 * so it always says exactly what the state allows.
 *
 * Two kinds of "them": during setup the account's signed-in phone vouches for this
 * device (context 'setup'); once this app is `ready` it vouches for the user's new,
 * unverified device (context 'ready').
 */
import type { Verification, VerificationAction } from '../api/types.js';
import { SAS_EMOJI_TABLE, formatSasEmojis, type SasEmoji } from '../shared/sas.js';
import { SimError, invalidState } from './errors.js';
import { qrPayload } from './qr.js';
import { deviceID, verificationID, type Rng } from './random.js';
import type { SimulatorProfile } from './types.js';

/** Matrix: a verification request times out after 10 minutes. */
export const VERIFICATION_TIMEOUT_MS = 10 * 60 * 1000;

type Phase = 'requested' | 'ready' | 'sas_ready' | 'qr_scanned' | 'done' | 'cancelled';
/** 'setup': the other device verifies this one; 'ready': this app verifies the user's new device. */
export type VerificationContext = 'setup' | 'ready';

export interface VerificationRecord {
  id: string;
  direction: 'incoming' | 'outgoing';
  purpose: 'login' | 'device';
  context: VerificationContext;
  state: Phase;
  /** The other side accepted (methods were negotiated). */
  accepted: boolean;
  createdAt: number;
  otherDevice: { id: string; name: string };
  otherUserID: string;
  /** Payload we show; the other device may scan it. */
  ourQr: string;
  /** Payload the other device shows; we may scan it (`qr/scan`). */
  theirQr: string;
  sas?: { entries: SasEmoji[]; decimals: string };
  weConfirmedSas: boolean;
  theyConfirmedSas: boolean;
  error?: { code: string; reason: string };
}

export type VerificationEventKind = 'requested' | 'ready' | 'sas-started' | 'sas-confirmed' | 'qr-scanned' | 'done' | 'cancelled';
export interface VerificationEvent {
  kind: VerificationEventKind;
  by: 'us' | 'them' | 'timeout';
  record: VerificationRecord;
}

export interface VerificationHooks {
  now(): number;
  /** The seven SAS entries to use instead of random ones (by table number), when set. */
  sasNumbers?(): number[] | undefined;
  rng: Rng;
  /** Every change, for the other device's screen and its automatic moves. */
  onEvent(event: VerificationEvent): void;
  /** A verification reached `done` (the app model decides what that trusts). */
  onDone(record: VerificationRecord): void;
}

const ACTIVE: readonly Phase[] = ['requested', 'ready', 'sas_ready', 'qr_scanned'];
export const isActive = (record: VerificationRecord) => ACTIVE.includes(record.state);

export function availableActions(record: VerificationRecord): VerificationAction[] {
  switch (record.state) {
    case 'requested':
      return record.direction === 'incoming' ? ['accept', 'cancel'] : ['cancel'];
    case 'ready':
      return ['sas.start', 'cancel'];
    case 'sas_ready':
      return record.weConfirmedSas ? ['cancel'] : ['sas.confirm', 'cancel'];
    case 'qr_scanned':
      return ['qr.confirmScanned', 'cancel'];
    default:
      return [];
  }
}

/** Strict lists no methods until the other side accepted (the contract does not say when they appear). */
export function toWire(record: VerificationRecord, profile: SimulatorProfile = 'lenient'): Verification {
  return {
    id: record.id,
    state: record.state,
    availableActions: availableActions(record),
    direction: record.direction,
    methods: profile === 'strict' && !record.accepted ? [] : ['qr', 'sas'],
    purpose: record.purpose,
    otherDevice: { ...record.otherDevice },
    otherUserID: record.otherUserID,
    ...(record.state === 'ready' ? { qr: { data: record.ourQr } } : {}),
    ...(record.state === 'sas_ready' && record.sas
      ? { sas: { emojis: formatSasEmojis(record.sas.entries), decimals: record.sas.decimals } }
      : {}),
    ...(record.error ? { error: { ...record.error } } : {}),
  };
}

/** "🐶 Dog, 🐱 Cat, … / 1234 5678 9012" — what a person compares. */
export function describeSas(record: VerificationRecord): string {
  if (!record.sas) return '';
  return `${record.sas.entries.map((entry) => `${entry.emoji} ${entry.name}`).join(', ')} / ${record.sas.decimals}`;
}

interface Peer {
  id: string;
  name: string;
  /** Ed25519 device key, shown in QR codes. */
  key: Uint8Array;
}

export class VerificationBook {
  private readonly records: VerificationRecord[] = [];
  /** The signed-in phone (vouches during setup) and the new device (vouched for once ready). */
  private readonly peers: Record<VerificationContext, Peer>;
  private readonly ourKey: Uint8Array;
  private readonly masterKey: Uint8Array;

  constructor(
    private readonly hooks: VerificationHooks,
    private readonly self: { userID: string; otherDeviceName: string; newDeviceName: string },
  ) {
    const rng = hooks.rng;
    this.peers = {
      setup: { id: deviceID(rng), name: self.otherDeviceName, key: rng.bytes(32) },
      ready: { id: deviceID(rng), name: self.newDeviceName, key: rng.bytes(32) },
    };
    this.ourKey = rng.bytes(32);
    this.masterKey = rng.bytes(32);
  }

  /** The latest verification, timed out if it is over 10 minutes old. */
  current(): VerificationRecord | undefined {
    const latest = this.records.at(-1);
    return latest && this.expire(latest);
  }

  /** Active ones plus the latest, oldest first. */
  list(): VerificationRecord[] {
    const latest = this.current();
    return this.records.map((record) => this.expire(record)).filter((record) => isActive(record) || record === latest);
  }

  get(id: string): VerificationRecord {
    const record = this.records.find((candidate) => candidate.id === id);
    if (!record) throw new SimError(404, 'VERIFICATION_NOT_FOUND', 'No verification with that ID.');
    return this.expire(record);
  }

  /** A new request; any active one is cancelled first. */
  create(direction: 'incoming' | 'outgoing', purpose: 'login' | 'device', context: VerificationContext): VerificationRecord {
    for (const record of this.records) {
      if (isActive(record)) this.cancel(record, 'us', 'm.user', 'A newer verification request replaced this one.');
    }
    const rng = this.hooks.rng;
    const peer = this.peers[context];
    const id = verificationID(rng);
    // The trusted side shows mode 0x01, the side being verified mode 0x02.
    const weTrust = context === 'ready';
    const keys = { transactionID: id, masterKey: this.masterKey };
    const record: VerificationRecord = {
      id,
      direction,
      purpose,
      context,
      state: 'requested',
      accepted: false,
      createdAt: this.hooks.now(),
      otherDevice: { id: peer.id, name: peer.name },
      otherUserID: this.self.userID,
      ourQr: qrPayload({ ...keys, trustsMasterKey: weTrust, deviceKey: this.ourKey, otherDeviceKey: peer.key, secret: rng.bytes(16) }),
      theirQr: qrPayload({ ...keys, trustsMasterKey: !weTrust, deviceKey: peer.key, otherDeviceKey: this.ourKey, secret: rng.bytes(16) }),
      weConfirmedSas: false,
      theyConfirmedSas: false,
    };
    this.records.push(record);
    this.emit('requested', direction === 'outgoing' ? 'us' : 'them', record);
    return record;
  }

  /** Our side, driven by the API; `action` must be in availableActions. */
  act(record: VerificationRecord, action: VerificationAction, cancel?: { code?: string; reason?: string }): void {
    if (!availableActions(record).includes(action)) {
      throw invalidState(`"${action}" is not available while the verification is "${record.state}".`);
    }
    switch (action) {
      case 'accept':
        record.accepted = true;
        return this.move(record, 'ready', 'ready', 'us');
      case 'sas.start': {
        const rng = this.hooks.rng;
        // A fixed sequence when the tests ask for one (e.g. every emoji written with U+FE0F).
        const fixed = this.hooks.sasNumbers?.();
        const entries = fixed?.length === 7 ? fixed.map((n) => SAS_EMOJI_TABLE[n]!) : Array.from({ length: 7 }, () => SAS_EMOJI_TABLE[rng.int(SAS_EMOJI_TABLE.length)]!);
        const decimals = Array.from({ length: 3 }, () => 1000 + rng.int(8192)).join(' ');
        record.sas = { entries, decimals };
        return this.move(record, 'sas_ready', 'sas-started', 'us');
      }
      case 'sas.confirm':
        record.weConfirmedSas = true;
        return record.theyConfirmedSas ? this.finish(record, 'us') : this.emit('sas-confirmed', 'us', record);
      case 'qr.confirmScanned':
        return this.finish(record, 'us');
      case 'cancel': {
        const code = cancel?.code ?? 'm.user';
        const fallback = code === 'm.mismatched_sas' ? 'You said the emojis did not match.' : 'You cancelled the verification.';
        return this.cancel(record, 'us', code, cancel?.reason ?? fallback);
      }
    }
  }

  /** We scanned the other device's QR code. */
  scanTheirQr(data: string): VerificationRecord {
    const record = this.current();
    if (!record || record.state !== 'ready') throw invalidState('No verification is ready for scanning a QR code.');
    if (data !== record.theirQr) throw new SimError(400, 'INVALID_QR_CODE', 'That QR code is not from your other device.');
    this.finish(record, 'us');
    return record;
  }

  /** Moves by the other device; throws 409 when the move is not possible now. */
  theirAccept(record: VerificationRecord): void {
    this.require(record, record.state === 'requested' && record.direction === 'outgoing', 'accept');
    record.accepted = true;
    this.move(record, 'ready', 'ready', 'them');
  }

  theirScan(record: VerificationRecord): void {
    this.require(record, record.state === 'ready', 'scan-qr');
    this.move(record, 'qr_scanned', 'qr-scanned', 'them');
  }

  theirConfirmSas(record: VerificationRecord): void {
    this.require(record, record.state === 'sas_ready' && !record.theyConfirmedSas, 'confirm-sas');
    record.theyConfirmedSas = true;
    if (record.weConfirmedSas) this.finish(record, 'them');
    else this.emit('sas-confirmed', 'them', record);
  }

  theirMismatch(record: VerificationRecord): void {
    this.require(record, record.state === 'sas_ready', 'mismatch');
    this.cancel(record, 'them', 'm.mismatched_sas', 'The other device said the emojis did not match.');
  }

  theirCancel(record: VerificationRecord): void {
    this.require(record, isActive(record), 'cancel');
    this.cancel(record, 'them', 'm.user', 'The other device cancelled the verification.');
  }

  /** Cancels whatever is still running (e.g. the device got verified another way). */
  cancelActive(reason: string): void {
    for (const record of this.records) if (isActive(record)) this.cancel(record, 'us', 'm.user', reason);
  }

  private require(record: VerificationRecord, allowed: boolean, action: string): void {
    if (!allowed) throw invalidState(`The other device cannot "${action}" while the verification is "${record.state}".`);
  }

  private expire(record: VerificationRecord): VerificationRecord {
    if (isActive(record) && this.hooks.now() - record.createdAt >= VERIFICATION_TIMEOUT_MS) {
      this.cancel(record, 'timeout', 'm.timeout', 'The verification request timed out.');
    }
    return record;
  }

  private cancel(record: VerificationRecord, by: VerificationEvent['by'], code: string, reason: string): void {
    record.error = { code, reason };
    this.move(record, 'cancelled', 'cancelled', by);
  }

  private finish(record: VerificationRecord, by: VerificationEvent['by']): void {
    this.move(record, 'done', 'done', by);
    this.hooks.onDone(record);
  }

  private move(record: VerificationRecord, state: Phase, kind: VerificationEventKind, by: VerificationEvent['by']): void {
    record.state = state;
    this.emit(kind, by, record);
  }

  private emit(kind: VerificationEventKind, by: VerificationEvent['by'], record: VerificationRecord): void {
    this.hooks.onEvent({ kind, by, record });
  }
}
