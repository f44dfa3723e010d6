import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrivateFileError, readPrivateFile, writePrivateFile } from '../../src/shared/privateFile.js';

let home: string;
let dir: string;
let file: string;
let elsewhere: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'beeper-private-file-'));
  dir = join(home, 'private');
  file = join(dir, 'secret.json');
  elsewhere = join(home, 'elsewhere');
  mkdirSync(dir, { mode: 0o700 });
});

afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('writePrivateFile', () => {
  it.each([
    ['an existing file', true],
    ['nothing (a dangling link)', false],
  ])('refuses a temp name already taken by a link to %s, and leaves the link alone', async (_, targetExists) => {
    if (targetExists) writeFileSync(elsewhere, 'original');
    const temp = `${file}.fixed.tmp`;
    symlinkSync(elsewhere, temp);
    const write = writePrivateFile(file, 'secret', undefined, () => 'fixed');
    await expect(write).rejects.toBeInstanceOf(PrivateFileError);
    await expect(write).rejects.toThrow(`Could not create the temporary file ${temp}`);
    if (targetExists) expect(readFileSync(elsewhere, 'utf8')).toBe('original');
    else expect(existsSync(elsewhere)).toBe(false);
    expect(lstatSync(temp).isSymbolicLink()).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('replaces a link at the file itself, never writing through it', async () => {
    writeFileSync(elsewhere, 'original');
    symlinkSync(elsewhere, file);
    await writePrivateFile(file, 'secret');
    expect(lstatSync(file).isFile()).toBe(true);
    expect(lstatSync(file).mode & 0o7777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('secret');
    expect(readFileSync(elsewhere, 'utf8')).toBe('original');
  });

  it('removes its temp file when the rename fails', async () => {
    mkdirSync(join(file, 'in-the-way'), { recursive: true });
    await expect(writePrivateFile(file, 'secret')).rejects.toThrow(`Could not save ${file}`);
    expect(readdirSync(dir)).toEqual(['secret.json']);
  });

  it('uses a new random temp name each time', async () => {
    const names: string[] = [];
    const spy = () => {
      const name = Math.random().toString(16).slice(2);
      names.push(name);
      return name;
    };
    await Promise.all([writePrivateFile(file, 'a', undefined, spy), writePrivateFile(file, 'b', undefined, spy)]);
    expect(new Set(names).size).toBe(2);
    expect(readdirSync(dir)).toEqual(['secret.json']);
  });
});

describe('readPrivateFile', () => {
  it('creates nothing when the folder is missing', async () => {
    const missing = join(home, 'missing', 'secret.json');
    expect(await readPrivateFile(missing)).toBeUndefined();
    expect(existsSync(join(home, 'missing'))).toBe(false);
  });

  it('refuses what is not a regular file', async () => {
    mkdirSync(file);
    await expect(readPrivateFile(file)).rejects.toThrow(`${file} is not a regular file`);
  });
});
