/**
 * `verify --qr-file PATH` (or "-" for stdin): the payload of the other device's
 * QR code, scanned with another app. Never from argv. A file of raw bytes
 * (starting with MATRIX) is sent base64-encoded, the way the app publishes its
 * own payloads; text (base64, as scanners usually copy it) is sent as it is.
 */
import { CliError, ExitCode } from '../exitCodes.js';
import { readSmallFile } from '../shared/keyFile.js';
import type { LineSource } from '../lines.js';

/** A Matrix verification QR payload is well under 1 kB; anything near this is not one. */
const MAX_BYTES = 4096;

export async function readScannedQr(path: string, lines: LineSource): Promise<string> {
  if (path === '-') {
    const line = await lines.read();
    if (!line?.trim()) throw new CliError('--qr-file - reads the scanned QR payload from stdin, and stdin had none.', ExitCode.InputNeeded, 'Pipe the payload in, one line.');
    return line.trim();
  }
  const file = await readSmallFile(path, MAX_BYTES);
  if (!file.ok) {
    if (file.tooLarge) throw new CliError(`${path} is too large to hold a QR payload.`, ExitCode.Error);
    throw new CliError(
      `Could not read the QR payload file ${path}: ${file.reason}.`,
      ExitCode.Error,
      file.notAFile ? 'Give a regular file, or --qr-file - to read the payload from stdin.' : undefined,
    );
  }
  const bytes = file.bytes;
  if (bytes.subarray(0, 6).toString('latin1') === 'MATRIX') return bytes.toString('base64');
  const text = bytes.toString('utf8').trim();
  if (!text) throw new CliError(`${path} is empty: it should hold the scanned QR payload.`, ExitCode.Error);
  return text;
}
