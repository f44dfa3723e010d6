/**
 * `verify --qr-file PATH` reads the payload once the other device shows its code: until the file
 * is there (or while it is empty) there is nothing yet; raw MATRIX bytes are sent base64-encoded,
 * text as it is; what could never hold a payload is refused at once.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScannedQrFile, readScannedQrFile } from '../../src/headless/scannedQr.js';
import { tempDir } from './helpers.js';

describe('the scanned QR payload file', () => {
  it('is nothing yet while missing or empty, then its payload', async () => {
    const path = join(tempDir(), 'scanned.txt');
    expect(await readScannedQrFile(path)).toBeUndefined();
    await checkScannedQrFile(path);
    writeFileSync(path, '');
    expect(await readScannedQrFile(path)).toBeUndefined();
    writeFileSync(path, '  TUFUUklYAgI=\n');
    expect(await readScannedQrFile(path)).toBe('TUFUUklYAgI=');
  });

  it('raw MATRIX bytes are sent base64-encoded', async () => {
    const path = join(tempDir(), 'scanned.bin');
    const bytes = Buffer.from('MATRIX\u0002\u0001\u0000\u0004txid', 'latin1');
    writeFileSync(path, bytes);
    expect(await readScannedQrFile(path)).toBe(bytes.toString('base64'));
  });

  it('a FIFO or an oversized file is refused, naming the way to pipe a payload', async () => {
    const fifo = join(tempDir(), 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(checkScannedQrFile(fifo)).rejects.toThrow('is a named pipe (FIFO), not a regular file');
    const big = join(tempDir(), 'big.txt');
    writeFileSync(big, 'A'.repeat(5000));
    await expect(readScannedQrFile(big)).rejects.toThrow('too large to hold a QR payload');
  });
});
