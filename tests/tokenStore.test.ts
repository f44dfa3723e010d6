import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  forgetToken,
  loadPendingSignIn,
  loadToken,
  pendingFile,
  savePendingSignIn,
  saveToken,
  tokenFile,
  TokenStoreError,
  type PendingSignInRecord,
} from '../src/tokenStore.js';
import { TokenKeeper } from '../src/tokenKeeper.js';
import { Secret } from '../src/shared/secret.js';
import { describeToken } from '../src/wording/format.js';

let home: string;
let env: NodeJS.ProcessEnv;
let dir: string;
let file: string;
/** What the store said it did on the way. */
let said: string[];
const report = (note: string) => void said.push(note);

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'beeper-token-store-'));
  env = { XDG_CONFIG_HOME: home };
  dir = join(home, 'beeper-setup');
  file = join(dir, 'tokens.json');
  said = [];
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

const modeOf = (path: string) => lstatSync(path).mode & 0o7777;
const stored = (path = file) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** The folder as an earlier run (or the user) left it. */
function existing(tokens: Record<string, string>, fileMode = 0o600, folderMode = 0o700): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(tokens));
  chmodSync(file, fileMode);
  chmodSync(dir, folderMode);
}

describe('modes', () => {
  it.each([0, 0o022, 0o277])('creates the folder 0700 and the files 0600 exactly under umask %o', async (mask) => {
    const previous = process.umask(mask);
    try {
      expect(await saveToken('https://a', 'syt_1', env)).toEqual({ path: tokenFile(env), mode: 0o600, repaired: [] });
      await savePendingSignIn('https://a', { setupRequestID: 'req', email: 'a@example.com' }, env);
    } finally {
      process.umask(previous);
    }
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(pendingFile(env))).toBe(0o600);
  });

  it('makes a world-readable tokens.json 0600 when reading it, and says so', async () => {
    existing({ 'https://a': 'syt_1' }, 0o644);
    expect(await loadToken('https://a', env, report)).toBe('syt_1');
    expect(modeOf(file)).toBe(0o600);
    expect(said).toEqual([`made ${file} private (was 0644)`]);
  });

  it('makes a 0777 folder 0700 and a 0666 file 0600 when saving, and returns both repairs', async () => {
    existing({ 'https://a': 'syt_1' }, 0o666, 0o777);
    const saved = await saveToken('https://b', 'syt_2', env);
    expect(saved.repaired).toEqual([`made the folder ${dir} private (was 0777)`, `made ${file} private (was 0666)`]);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(stored()).toEqual({ 'https://a': 'syt_1', 'https://b': 'syt_2' });
  });

  it('repairs a 0777 folder even when there is no file yet to read', async () => {
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(await loadToken('https://a', env, report)).toBeUndefined();
    expect(modeOf(dir)).toBe(0o700);
    expect(said).toEqual([`made the folder ${dir} private (was 0777)`]);
  });

  it.runIf(process.getuid?.() === 0)('refuses a folder that belongs to another user', async () => {
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 4242, 4242);
    await expect(saveToken('https://a', 'syt_1', env)).rejects.toThrow(/belongs to another user \(uid 4242\)/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('symbolic links', () => {
  let elsewhere: string;
  beforeEach(() => {
    elsewhere = join(home, 'elsewhere.json');
    writeFileSync(elsewhere, JSON.stringify({ 'https://a': 'syt_planted' }));
    chmodSync(elsewhere, 0o644);
  });

  it('does not follow a link at tokens.json when reading', async () => {
    mkdirSync(dir, { mode: 0o700 });
    symlinkSync(elsewhere, file);
    const load = loadToken('https://a', env);
    await expect(load).rejects.toBeInstanceOf(TokenStoreError);
    await expect(load).rejects.toThrow(`${file} is a symbolic link; beeper-setup never follows one`);
    expect(modeOf(elsewhere)).toBe(0o644);
  });

  it('does not write through a link at tokens.json', async () => {
    mkdirSync(dir, { mode: 0o700 });
    symlinkSync(elsewhere, file);
    await expect(saveToken('https://b', 'syt_secret', env)).rejects.toThrow(/is a symbolic link/);
    expect(readFileSync(elsewhere, 'utf8')).toBe(JSON.stringify({ 'https://a': 'syt_planted' }));
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
  });

  it('refuses a folder that is a link', async () => {
    const real = join(home, 'real');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, dir);
    await expect(saveToken('https://a', 'syt_secret', env)).rejects.toThrow(`The folder ${dir} is a symbolic link`);
    expect(readdirSync(real)).toEqual([]);
  });

  it('gives nothing to links planted at predictable temp names', async () => {
    mkdirSync(dir, { mode: 0o700 });
    const planted = [`tokens.json.${process.pid}.tmp`, 'tokens.json.tmp', `tokens.json.${process.pid}`];
    for (const name of planted) symlinkSync(elsewhere, join(dir, name));
    await saveToken('https://a', 'syt_secret', env);
    expect(readFileSync(elsewhere, 'utf8')).not.toContain('syt_secret');
    expect(lstatSync(file).isFile()).toBe(true);
    expect(stored()).toEqual({ 'https://a': 'syt_secret' });
    // Nothing left behind: only the file and the planted links.
    expect(readdirSync(dir).sort()).toEqual(['tokens.json', ...planted].sort());
  });
});

describe('forgetting', () => {
  it('removes the token only while it is still the one that was refused', async () => {
    await saveToken('https://a', 'syt_new_from_another_run', env);
    expect(await forgetToken('https://a', env, undefined, 'syt_refused')).toBe(false);
    expect(stored()).toEqual({ 'https://a': 'syt_new_from_another_run' });
    expect(await forgetToken('https://a', env, undefined, 'syt_new_from_another_run')).toBe(true);
    expect(stored()).toEqual({});
  });
});

describe("the run's keeper", () => {
  it('forgets the token it was refused, never one another run saved for the same app since', async () => {
    await saveToken('https://a', 'syt_mine', env);
    const keeper = new TokenKeeper({ key: 'https://a', save: true, source: 'saved', savedToken: 'syt_mine', env });
    // Meanwhile another run signed in to the same app and saved its token.
    await saveToken('https://a', 'syt_theirs', env);
    keeper.forgetSavedToken();
    expect((await keeper.flush()).forgotten).toBe(false);
    expect(stored()).toEqual({ 'https://a': 'syt_theirs' });
  });

  it('reports in `repaired` what loading put right, and says it once', async () => {
    existing({ 'https://a': 'syt_1' }, 0o644);
    const loadNotes: string[] = [];
    await loadToken('https://a', env, (note) => void loadNotes.push(note));
    const keeper = new TokenKeeper({ key: 'https://a', save: true, source: 'saved', savedToken: 'syt_1', repairedOnLoad: loadNotes, env });
    keeper.rememberToken(new Secret('syt_2'));
    const kept = await keeper.flush();
    expect(kept.repaired).toEqual([`made ${file} private (was 0644)`]);
    expect(describeToken(kept, { tokenSource: 'saved', saveToken: true })).toEqual({
      lines: [`The access token is saved in ${file} (mode 0600: only you can read it); beeper-setup logout forgets it.`],
      saved: { path: file, repaired: [`made ${file} private (was 0644)`] },
    });
  });
});

describe('where the files are', () => {
  it('ignores a relative XDG_CONFIG_HOME, as the XDG spec says', () => {
    expect(tokenFile({ XDG_CONFIG_HOME: 'relative/config', HOME: home })).toBe(join(homedir(), '.config', 'beeper-setup', 'tokens.json'));
    expect(tokenFile({ XDG_CONFIG_HOME: home })).toBe(join(home, 'beeper-setup', 'tokens.json'));
  });
});

describe('a read-only config folder (a read-only tmpfs, where root may mount one)', () => {
  it('still reads the token: a read needs no lock', async (test) => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return test.skip('skipped: mounting a tmpfs needs root on Linux');
    mkdirSync(home, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', home], { stdio: 'pipe' });
    } catch (error) {
      return test.skip(`skipped: mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`);
    }
    try {
      existing({ 'https://a': 'syt_1' });
      execFileSync('mount', ['-o', 'remount,ro', home]);
      expect(await loadToken('https://a', env)).toBe('syt_1');
      await expect(saveToken('https://b', 'syt_2', env)).rejects.toThrow(`Could not lock ${file} to save it: the file system is read-only.`);
    } finally {
      execFileSync('umount', [home]);
    }
  });
});

describe('a lock left by a crashed process', () => {
  it('is taken over once it has gone stale, and the save lands', async () => {
    mkdirSync(join(dir, 'tokens.json.lock'), { recursive: true });
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'tokens.json.lock'), longAgo, longAgo);
    await saveToken('https://a', 'syt_1', env);
    expect(stored()).toEqual({ 'https://a': 'syt_1' });
    expect(readdirSync(dir)).toEqual(['tokens.json']);
  });
});

describe('one process, many writes', () => {
  it('lands every one of concurrent saves of different keys', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `https://host-${i}`);
    await Promise.all(keys.map((key, i) => saveToken(key, `syt_${i}`, env)));
    expect(stored()).toEqual(Object.fromEntries(keys.map((key, i) => [key, `syt_${i}`])));
    expect(readdirSync(dir)).toEqual(['tokens.json']);
  });

  it('runs saves, forgets and loads in the order they were asked', async () => {
    const results = await Promise.all([
      saveToken('https://a', 'syt_1', env),
      saveToken('https://b', 'syt_2', env),
      forgetToken('https://a', env),
      loadToken('https://b', env),
      loadToken('https://a', env),
    ]);
    expect(results.slice(2)).toEqual([true, 'syt_2', undefined]);
    expect(stored()).toEqual({ 'https://b': 'syt_2' });
  });

  it('goes on after a failed save', async () => {
    mkdirSync(dir, { mode: 0o700 });
    symlinkSync(join(home, 'elsewhere'), file);
    const failed = saveToken('https://a', 'syt_1', env);
    const next = failed.catch(() => rmSync(file)).then(() => saveToken('https://a', 'syt_2', env));
    await expect(failed).rejects.toBeInstanceOf(TokenStoreError);
    await next;
    expect(stored()).toEqual({ 'https://a': 'syt_2' });
  });
});

describe('contents', () => {
  it('moves a damaged file aside to a named backup, says so in plain words without quoting it, and starts anew', async () => {
    existing({});
    const damaged = '{"https://a": "syt_secret", "https://b": "syt_other"';
    writeFileSync(file, damaged);
    const notes: [string, string | undefined][] = [];
    expect(await loadToken('https://a', env, (note, kind) => void notes.push([note, kind]))).toBeUndefined();
    const backups = readdirSync(dir).filter((name) => name.startsWith('tokens.json.corrupt-'));
    expect(backups).toEqual([expect.stringMatching(/^tokens\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/)]);
    expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe(damaged);
    expect(notes).toEqual([
      [`${file} was damaged (not the JSON beeper-setup writes), so it was moved aside to ${join(dir, backups[0]!)} and a new one started; nothing in it is used`, 'moved-aside'],
    ]);
    expect(JSON.stringify(notes)).not.toContain('syt_');
    // The next save starts a new file; the backup stays as it was.
    await saveToken('https://c', 'syt_3', env);
    expect(stored()).toEqual({ 'https://c': 'syt_3' });
    expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe(damaged);
  });

  it('never moves a damaged file over an earlier backup', async () => {
    existing({});
    writeFileSync(file, 'first damage');
    await loadToken('https://a', env);
    writeFileSync(file, 'second damage');
    chmodSync(file, 0o600);
    await loadToken('https://a', env);
    const backups = readdirSync(dir).filter((name) => name.startsWith('tokens.json.corrupt-'));
    expect(backups.map((name) => readFileSync(join(dir, name), 'utf8')).sort()).toEqual(['first damage', 'second damage']);
  });

  it('refuses a file larger than 1 MB', async () => {
    existing({ 'https://a': 'syt_1', padding: 'x'.repeat(1024 * 1024) });
    await expect(loadToken('https://a', env)).rejects.toThrow(`${file} is larger than 1 MB`);
  });

  const registration = {
    setupRequestID: 'req-2',
    leadToken: 'lead-secret',
    usernameSuggestions: ['alice', 'alice2'],
    copy: { title: 'Pick a username', usernamePlaceholder: 'username', terms: 'By continuing…', submit: 'Continue' },
  };

  it('round-trips a pending sign-in with its new-account registration, mode 0600', async () => {
    const pending: PendingSignInRecord = { setupRequestID: 'req-1', email: 'alice@example.com', registration };
    await savePendingSignIn('https://a', pending, env);
    expect(await loadPendingSignIn('https://a', env)).toEqual(pending);
    expect(modeOf(pendingFile(env))).toBe(0o600);
    await savePendingSignIn('https://a', undefined, env);
    expect(await loadPendingSignIn('https://a', env)).toBeUndefined();
  });

  it.each([
    ['no copy', { ...registration, copy: undefined }],
    ['a copy without submit', { ...registration, copy: { ...registration.copy, submit: undefined } }],
    ['suggestions that are not all text', { ...registration, usernameSuggestions: ['alice', 2] }],
    ['suggestions that are not a list', { ...registration, usernameSuggestions: 'alice' }],
    ['a lead token that is not text', { ...registration, leadToken: 42, setupRequestID: 'lead-secret' }],
    ['not an object', 'lead-secret'],
  ])('drops a registration with %s, keeps the sign-in, and never quotes the lead token', async (_, malformed) => {
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(pendingFile(env), JSON.stringify({ 'https://a': { setupRequestID: 'req-1', email: 'alice@example.com', registration: malformed } }), { mode: 0o600 });
    expect(await loadPendingSignIn('https://a', env, report)).toEqual({ setupRequestID: 'req-1', email: 'alice@example.com' });
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('https://a');
    expect(said[0]).not.toContain('lead-secret');
  });
});
