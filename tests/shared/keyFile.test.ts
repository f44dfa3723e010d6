/**
 * The new recovery key's file: durable before anything relies on it (file synced, moved into place
 * without overwriting, folder synced), and on any failure nothing at the path. Faults are injected
 * through privateFile.ts's fileCalls; a real 8 kB tmpfs shows the full disk where mounting is allowed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeKeyFile } from '../../src/shared/keyFile.js';
import { fileCalls } from '../../src/shared/privateFile.js';

const KEY = 'EsTc 1234 5678 9abc defg hijk mnop qrst uvwx yzAB CDEF GHJK';
let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beeper-key-file-'));
  path = join(dir, 'new-key.txt');
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const fault = (code: string) => Object.assign(new Error(`injected ${code}`), { code });

/** Every call the writer makes, in order; `failAt` makes one of them fail with `code` instead. */
function watchCalls(failAt?: { call: string; code: string }) {
  const calls: string[] = [];
  const maybeFail = (call: string) => {
    calls.push(call);
    if (failAt?.call === call) throw fault(failAt.code);
  };
  const name = (target: string) => (target === dir ? 'folder' : target === path ? 'file' : target.endsWith('.tmp') ? 'temp' : target);
  const wrap = (handle: FileHandle, what: string): FileHandle =>
    new Proxy(handle, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        if (typeof value !== 'function') return value;
        if (prop === 'write' || prop === 'sync' || prop === 'close') {
          return async (...args: unknown[]) => {
            maybeFail(`${String(prop)} ${what}`);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  const open = fileCalls.open;
  vi.spyOn(fileCalls, 'open').mockImplementation((async (target: string, ...rest: unknown[]) => {
    maybeFail(`open ${name(target)}`);
    return wrap(await (open as (...a: unknown[]) => Promise<FileHandle>)(target, ...rest), name(target));
  }) as typeof fileCalls.open);
  const link = fileCalls.link;
  vi.spyOn(fileCalls, 'link').mockImplementation(async (from, to) => {
    maybeFail(`link ${name(String(from))} ${name(String(to))}`);
    return link(from, to);
  });
  const unlink = fileCalls.unlink;
  vi.spyOn(fileCalls, 'unlink').mockImplementation(async (target) => {
    calls.push(`unlink ${name(String(target))}`);
    return unlink(target);
  });
  return calls;
}

/** The calls that make the key durable in its temp file, before it gets its name. */
const KEY_SYNCED = ['open folder', 'open temp', 'write temp', 'sync temp', 'close temp'];

/** The key is at the path, whole and private, and nothing else is in the folder. */
function expectTheKeyAlone(): void {
  expect(readFileSync(path, 'utf8')).toBe(`${KEY}\n`);
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir)).toEqual(['new-key.txt']);
}

describe('writeKeyFile', () => {
  it('syncs the key, links it to a free name, and syncs the folder, in that order', async () => {
    const calls = watchCalls();
    expect(await writeKeyFile(path, KEY)).toEqual({ ok: true, path });
    expect(calls.filter((call) => !call.startsWith('close folder'))).toEqual([...KEY_SYNCED, 'link temp file', 'unlink temp', 'sync folder']);
    expectTheKeyAlone();
  });

  it.each([
    ['a full disk while writing', 'write temp', 'ENOSPC', 'the disk is full'],
    ['an I/O error at sync', 'sync temp', 'EIO', 'an input/output error'],
    ['an I/O error at close (a write that failed late)', 'close temp', 'EIO', 'an input/output error'],
    ['an I/O error syncing the folder', 'sync folder', 'EIO', 'could not sync its folder: an input/output error'],
  ])('leaves nothing at the path after %s', async (_, call, code, reason) => {
    watchCalls({ call, code });
    expect(await writeKeyFile(path, KEY)).toEqual({ ok: false, path, exists: false, reason });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never touches a file already at the path, even one that appears between the check and the write', async () => {
    writeFileSync(path, 'an older key\n', { mode: 0o600 });
    expect(await writeKeyFile(path, KEY)).toEqual({ ok: false, path, exists: true, reason: 'it exists already' });
    expect(readFileSync(path, 'utf8')).toBe('an older key\n');
    expect(readdirSync(dir)).toEqual(['new-key.txt']);
  });

  it('where there are no hard links (FAT, a USB stick): claims the free name and renames the synced key over it', async () => {
    const calls = watchCalls({ call: 'link temp file', code: 'EPERM' });
    expect(await writeKeyFile(path, KEY)).toEqual({ ok: true, path });
    expect(calls.filter((call) => !call.startsWith('close folder'))).toEqual([...KEY_SYNCED, 'link temp file', 'open file', 'close file', 'unlink temp', 'sync folder']);
    expectTheKeyAlone();
  });

  it('where there are no hard links, still never touches a file already at the path', async () => {
    writeFileSync(path, 'an older key\n', { mode: 0o600 });
    watchCalls({ call: 'link temp file', code: 'EPERM' });
    expect(await writeKeyFile(path, KEY)).toEqual({ ok: false, path, exists: true, reason: 'it exists already' });
    expect(readFileSync(path, 'utf8')).toBe('an older key\n');
    expect(readdirSync(dir)).toEqual(['new-key.txt']);
  });

  it('says a missing folder plainly and creates nothing', async () => {
    const missing = join(dir, 'nowhere', 'key.txt');
    expect(await writeKeyFile(missing, KEY)).toMatchObject({ ok: false, exists: false, reason: 'its folder does not exist' });
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });
});

/** Root may mount a tiny tmpfs; anywhere else this says why it is skipped. */
function mountTinyTmpfs(target: string): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'mounting a tmpfs needs root on Linux';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', target], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
}

describe('on a real full disk (an 8 kB tmpfs)', () => {
  it('leaves no 0-byte file at the path', async (test) => {
    const mountPoint = join(dir, 'tiny');
    mkdirSync(mountPoint);
    const why = mountTinyTmpfs(mountPoint);
    if (why) return test.skip(`skipped: ${why}`);
    try {
      // Fill it: what is left is less than a key file's block.
      try {
        writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(64 * 1024));
      } catch {
        // ENOSPC: the disk is full, which is the point.
      }
      const target = join(mountPoint, 'new-key.txt');
      const result = await writeKeyFile(target, KEY);
      expect(result).toMatchObject({ ok: false, exists: false, reason: 'the disk is full' });
      expect(readdirSync(mountPoint)).toEqual(['filler']);
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  });
});
