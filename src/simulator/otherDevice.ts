/**
 * The other side of a verification: during setup the account's signed-in phone, which
 * vouches for this device; once the app is `ready`, the user's new device ("MacBook Air"),
 * which this app vouches for. Tests and the demo drive it through the control API; with
 * `autoOtherDevice` it also plays along by itself: it accepts our requests and confirms
 * the emojis after we do. It never reports a mismatch or scans the QR code by itself.
 * Its "screen" goes to the log and the `other-device` event.
 */
import type { Verification } from '../api/types.js';
import { APP_NAME } from './accounts.js';
import { invalidState } from './errors.js';
import type { AppState } from './state.js';
import type { OtherDeviceAction, SimulatorConfig } from './types.js';
import { describeSas, isActive, toWire, type VerificationEvent, type VerificationRecord } from './verification.js';

export interface OtherDeviceScreen {
  deviceName: string;
  verification: Verification;
}

export interface OtherDeviceDeps {
  app: AppState;
  config: SimulatorConfig;
  /** Shows one line of the other device's screen. */
  show(text: string, screen: OtherDeviceScreen): void;
}

export class OtherDevice {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly deps: OtherDeviceDeps) {}

  /** One move by the other device; 409 when it is not possible now. */
  act(action: OtherDeviceAction): VerificationRecord {
    if (action === 'request') return this.deps.app.incomingVerification();
    const book = this.deps.app.verifications();
    const record = book.current();
    if (!record) throw invalidState('There is no verification for the other device to act on.');
    switch (action) {
      case 'accept':
        book.theirAccept(record);
        break;
      case 'confirm-sas':
        book.theirConfirmSas(record);
        break;
      case 'scan-qr':
        book.theirScan(record);
        break;
      case 'mismatch':
        book.theirMismatch(record);
        break;
      case 'cancel':
        book.theirCancel(record);
        break;
    }
    return record;
  }

  /**
   * The QR payload the other device shows for the current verification (for `qr/scan`). A Matrix
   * client shows its code only once the request is accepted (the code carries the transaction and
   * both keys), and only while the verification runs: strict holds to that (409 before and after);
   * lenient shows it from the request on.
   */
  qr(): string {
    const record = this.deps.app.verifications().current();
    if (!record) throw invalidState('There is no verification, so the other device shows no QR code.');
    if (this.deps.config.profile === 'strict' && (!record.accepted || !isActive(record))) {
      throw invalidState(`The other device shows its QR code only while the verification is accepted and running; it is "${record.state}".`);
    }
    return record.theirQr;
  }

  /** Reacts to every verification change: updates its screen, and moves by itself in auto mode. */
  onEvent({ kind, by, record }: VerificationEvent): void {
    const auto = this.deps.config.autoOtherDevice;
    const book = this.deps.app.verifications();
    // Who "we" are on its screen: the sign-in it vouches for, or the app that vouches for it.
    const setup = record.context === 'setup';
    const us = setup ? 'the new sign-in' : APP_NAME;
    const Us = setup ? 'The new sign-in' : APP_NAME;
    const waiting = auto ? 'Accepting…' : 'Waiting to accept.';
    switch (kind) {
      case 'requested':
        if (by === 'them') {
          const text = setup ? 'Sent a verification request to the new sign-in.' : `${record.otherDevice.name} asks to be verified by ${APP_NAME}…`;
          return this.show(record, text);
        }
        this.show(record, setup ? `The new sign-in asks to be verified. ${waiting}` : `${APP_NAME} offers to verify this device. ${waiting}`);
        if (auto) this.later(() => book.theirAccept(record));
        return;
      case 'ready':
        return this.show(record, `Ready: scan the QR code on ${us}, or compare emojis.`);
      case 'sas-started':
        return this.show(record, `compare: ${describeSas(record)}`);
      case 'sas-confirmed':
        if (by === 'them') return this.show(record, `You said the emojis match. Waiting for ${us}…`);
        this.show(record, `${Us} says the emojis match.`);
        if (auto && !record.theyConfirmedSas) this.later(() => book.theirConfirmSas(record));
        return;
      case 'qr-scanned':
        return this.show(record, `Scanned the QR code of ${us}. Confirm it there.`);
      case 'done':
        return this.show(record, setup ? 'Verified: the new sign-in is now trusted.' : `Verified by ${APP_NAME}: this device is now trusted.`);
      case 'cancelled':
        return this.show(record, `Verification cancelled: ${record.error?.reason ?? ''}`);
    }
  }

  /** Automatic moves scheduled and not yet made: with none, the other device does nothing until spoken to. */
  get pendingMoves(): number {
    return this.timers.size;
  }

  /** Forgets pending automatic moves (sign-out, shutdown). */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private show(record: VerificationRecord, text: string): void {
    this.deps.show(text, { deviceName: record.otherDevice.name, verification: toWire(record, this.deps.config.profile) });
  }

  /** An automatic move after `otherDeviceMs`; dropped if the verification moved on meanwhile. */
  private later(move: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.deps.config.autoOtherDevice) return;
      try {
        move();
      } catch {
        // The verification changed (cancelled, done, signed out): nothing to do.
      }
    }, this.deps.config.timings.otherDeviceMs);
    timer.unref();
    this.timers.add(timer);
  }
}
