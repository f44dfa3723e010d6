/**
 * The pre-flight check of --new-recovery-key-file looks where the key will be written: a "~/" the
 * shell left alone (as in --new-recovery-key-file=~/key.txt) is the home folder, as for the writer.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newKeyFileProblem } from '../../src/headless/keys.js';
import { tempDir } from './helpers.js';

describe('newKeyFileProblem', () => {
  it('takes "~/" as the home folder, as writing the key does', async () => {
    const name = `beeper-setup-never-there-${randomBytes(6).toString('hex')}.txt`;
    expect(await newKeyFileProblem(`~/${name}`, {})).toBeUndefined();
  });

  it('refuses a file that is there, naming it as given', async () => {
    const dir = tempDir();
    const path = join(dir, 'key.txt');
    writeFileSync(path, 'something\n');
    const problem = await newKeyFileProblem(path, { XDG_CONFIG_HOME: join(dir, 'config') });
    expect(problem?.message).toContain(path);
    expect(problem?.exitCode).toBe(1);
  });
});
