/**
 * `verify --qr-file PATH` (or "-" for stdin): the payload of the other device's QR code, scanned
 * with another app. The other device shows its code only once the verification is accepted (the
 * code carries the transaction and both keys), so the payload is read then, never before: a line
 * of stdin asked for with a `qr-payload` prompt, or the file as soon as it is there (another tool
 * writes it once that prompt arrives). Never from argv. A file of raw bytes (starting with MATRIX)
 * is sent base64-encoded, the way the app publishes its own payloads; text (base64, as scanners
 * usually copy it) is sent as it is.
 */
import { stat } from 'node:fs/promises';
import { CliError, ExitCode } from '../exitCodes.js';
import { readSmallFile } from '../shared/keyFile.js';

/** A Matrix verification QR payload is well under 1 kB; anything near this is not one. */
const MAX_BYTES = 4096;

/** How often a --qr-file that is not there yet is looked for. */
export const QR_FILE_POLL_MS = 250;

/**
 * The payload in the file, or undefined while there is none yet (no file, or an empty one being
 * written). A path that is not a regular file, or too large to hold a payload, is refused.
 */
export async function readScannedQrFile(path: string): Promise<string | undefined> {
  try {
    await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
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
  return bytes.toString('utf8').trim() || undefined;
}

/**
 * Before anything is sent: a --qr-file that could never be read (a FIFO, a device, a folder) is
 * refused at once. One that is not there yet is fine: it is read once the verification is ready.
 */
export async function checkScannedQrFile(path: string): Promise<void> {
  if (path !== '-') await readScannedQrFile(path);
}
