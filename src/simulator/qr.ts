/**
 * The QR code payload of Matrix device verification, as a device shows it:
 * "MATRIX", version 0x02, mode, 2-byte big-endian length + transaction ID,
 * two 32-byte keys and a 16-byte shared secret; base64 (standard, padded) on the wire.
 */

export interface QrInput {
  /** The verification's transaction ID (here: the verification id), as UTF-8. */
  transactionID: string;
  /** Whether the device SHOWING the code trusts the account's master key. */
  trustsMasterKey: boolean;
  /** 32-byte Ed25519 keys. */
  deviceKey: Uint8Array;
  otherDeviceKey: Uint8Array;
  masterKey: Uint8Array;
  /** 16 random bytes. */
  secret: Uint8Array;
}

/** Self-verification where the showing device trusts the master key / does not yet. */
export const QR_MODE_TRUSTED = 0x01;
export const QR_MODE_UNTRUSTED = 0x02;

export function qrPayload(input: QrInput): string {
  const mode = input.trustsMasterKey ? QR_MODE_TRUSTED : QR_MODE_UNTRUSTED;
  // Mode 1 shows the master key and the key it expects the other device to have;
  // mode 2 shows its own device key and the master key it was told about.
  const [first, second] = input.trustsMasterKey ? [input.masterKey, input.otherDeviceKey] : [input.deviceKey, input.masterKey];
  const transaction = Buffer.from(input.transactionID, 'utf8');
  const header = Buffer.alloc(10);
  header.write('MATRIX', 0, 'ascii');
  header[6] = 0x02;
  header[7] = mode;
  header.writeUInt16BE(transaction.length, 8);
  return Buffer.concat([header, transaction, first, second, input.secret]).toString('base64');
}
