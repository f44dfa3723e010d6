/**
 * Keeps the access token between runs so a rerun resumes where the server
 * stands. One JSON file, mode 0600 in a 0700 folder, keyed by the address the
 * token belongs to (the base URL, or ssh://host for tunnels). The safety of the
 * files themselves (modes, links, durable writes) is shared/privateFile.ts.
 * Several beeper-setup processes may share the files: every read-modify-write
 * holds the file's lock (shared/fileLock.ts), so none is lost.
 */
import { lstat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { LockBusyError, takeLock } from './shared/fileLock.js';
import { ensurePrivateFolder, fileProblem, moveAside, PrivateFileError, readPrivateFile, writePrivateFile } from './shared/privateFile.js';

/** Every failure of this module: a message naming the file, what is wrong and what to do. */
export { PrivateFileError as TokenStoreError } from './shared/privateFile.js';

/**
 * Told each thing the store did on the way that the caller did not ask for: permissions put right
 * ("made … private (was 0644)"), or, with `moved-aside`, a file it could not read put aside, in words.
 */
export type StoreReport = (note: string, kind?: 'moved-aside') => void;

/** What the store did that nobody asked for, as the sentences every front end says: permissions put right, a damaged file moved aside. */
export function storeNotes(done: { repaired: readonly string[]; movedAside: readonly string[] }): string[] {
  const sentences = [...done.repaired.map((line) => `Fixed permissions: ${line}.`), ...done.movedAside.map((line) => `${line.charAt(0).toUpperCase()}${line.slice(1)}.`)];
  return [...new Set(sentences)];
}

/** Where the token a run starts with came from: BEEPER_ACCESS_TOKEN, or this store. */
export type TokenSource = 'env' | 'saved';

/** $XDG_CONFIG_HOME/beeper-setup; a relative XDG_CONFIG_HOME is ignored, as the XDG spec says. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config'), 'beeper-setup');
}

export function tokenFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'tokens.json');
}

/** Sign-ins whose code was mailed but not yet entered, so a rerun (e.g. with --code) can finish them. */
export function pendingFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'pending-sign-ins.json');
}

const queues = new Map<string, Promise<unknown>>();

/** One file, one task at a time in this process: a read-modify-write never interleaves with another. */
function inTurn<T>(file: string, task: () => Promise<T>): Promise<T> {
  const key = resolve(file);
  const result = (queues.get(key) ?? Promise.resolve()).then(task);
  const settled = result.catch(() => {});
  queues.set(key, settled);
  void settled.then(() => queues.get(key) === settled && queues.delete(key));
  return result;
}

/**
 * A store file's lock: writes take milliseconds, so a lock unrefreshed for 5 s is a crashed
 * holder's, and a run waits up to 8 s for a live one.
 */
const STORE_LOCK = { staleMs: 5_000, waitMs: 8_000 };

/**
 * `task` alone with the file: in turn in this process, and under its lock across processes. Without
 * `create`, a folder that does not exist is not made: the task finds no file, and needs no lock.
 */
function exclusive<T>(file: string, report: StoreReport, task: () => Promise<T>, create: boolean): Promise<T> {
  return inTurn(file, async () => {
    const dir = dirname(file);
    if (!create && !(await lstat(dir).then(() => true, () => false))) return task();
    await ensurePrivateFolder(dir, report);
    let release: () => Promise<void>;
    try {
      release = await takeLock(file, STORE_LOCK);
    } catch (error) {
      if (error instanceof LockBusyError) {
        throw new PrivateFileError(file, `Another beeper-setup has held ${file} for more than ${STORE_LOCK.waitMs / 1000} s. Run again once it is done.`);
      }
      // A folder where no lock can be made (read-only): reading needs none, and a write says why it fails.
      if (!create) return task();
      throw new PrivateFileError(file, `Could not lock ${file} to save it: ${fileProblem(error, true)}.`, { cause: error });
    }
    try {
      return await task();
    } finally {
      await release();
    }
  });
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** 2026-11-30T10-15-00Z: a time for a file name. */
const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');

/** The file's object. One that does not parse is moved aside, never overwritten: what it held may still matter. */
async function readJson(file: string, report: StoreReport): Promise<Json> {
  const text = await readPrivateFile(file, report);
  if (text === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) return parsed;
  } catch {
    // Said below without the parser's message: it quotes the file, and the file holds secrets.
  }
  let aside: string;
  try {
    aside = await moveAside(file, `corrupt-${stamp()}`);
  } catch (error) {
    report(`${file} is damaged (not the JSON beeper-setup writes) and could not be moved aside (${fileProblem(error, true)}); nothing in it is used`, 'moved-aside');
    return {};
  }
  report(`${file} was damaged (not the JSON beeper-setup writes), so it was moved aside to ${aside} and a new one started; nothing in it is used`, 'moved-aside');
  return {};
}

const writeJson = (file: string, data: Json, report: StoreReport) => writePrivateFile(file, `${JSON.stringify(data, null, 2)}\n`, report);

const tokensIn = (data: Json): Record<string, string> =>
  Object.fromEntries(Object.entries(data).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));

/** What a new account needs to resume at the username step. `leadToken` is a secret. */
export interface PendingRegistration {
  setupRequestID: string;
  leadToken: string;
  usernameSuggestions: string[];
  copy: { title: string; usernamePlaceholder: string; terms: string; submit: string };
}

export interface PendingSignInRecord {
  setupRequestID: string;
  email: string;
  registration?: PendingRegistration;
}

const isString = (value: unknown): value is string => typeof value === 'string';

function registrationIn(value: unknown): PendingRegistration | undefined {
  if (!isObject(value) || !isObject(value.copy)) return undefined;
  const { setupRequestID, leadToken, usernameSuggestions } = value;
  const { title, usernamePlaceholder, terms, submit } = value.copy;
  if (!isString(setupRequestID) || !isString(leadToken) || !Array.isArray(usernameSuggestions) || !usernameSuggestions.every(isString)) return undefined;
  if (!isString(title) || !isString(usernamePlaceholder) || !isString(terms) || !isString(submit)) return undefined;
  return { setupRequestID, leadToken, usernameSuggestions, copy: { title, usernamePlaceholder, terms, submit } };
}

export async function loadPendingSignIn(key: string, env: NodeJS.ProcessEnv = process.env, report: StoreReport = () => {}): Promise<PendingSignInRecord | undefined> {
  const file = pendingFile(env);
  const entry = (await exclusive(file, report, () => readJson(file, report), false))[key];
  if (!isObject(entry) || typeof entry.setupRequestID !== 'string' || typeof entry.email !== 'string') return undefined;
  const record: PendingSignInRecord = { setupRequestID: entry.setupRequestID, email: entry.email };
  if (entry.registration === undefined) return record;
  const registration = registrationIn(entry.registration);
  // Never quote the entry: it holds the lead token.
  if (!registration) report(`the new-account details saved for ${key} in ${file} are incomplete; they were ignored`);
  return registration ? { ...record, registration } : record;
}

/** Records (or with `undefined`, forgets) the sign-in waiting for its code. */
export function savePendingSignIn(key: string, pending: PendingSignInRecord | undefined, env: NodeJS.ProcessEnv = process.env, report: StoreReport = () => {}): Promise<void> {
  const file = pendingFile(env);
  return exclusive(file, report, async () => {
    const all = await readJson(file, report);
    if (!pending && !(key in all)) return;
    if (pending) all[key] = pending;
    else delete all[key];
    await writeJson(file, all, report);
  }, !!pending);
}

export function loadToken(key: string, env: NodeJS.ProcessEnv = process.env, report: StoreReport = () => {}): Promise<string | undefined> {
  const file = tokenFile(env);
  return exclusive(file, report, async () => tokensIn(await readJson(file, report))[key], false);
}

/** Where the token is and what was done to keep it private, for the caller to tell the user. */
export interface SavedToken {
  path: string;
  /** Always 0o600: the file is set to exactly this mode, whatever the umask. */
  mode: 0o600;
  /** Repairs made on the way, in words ("made the folder … private (was 0777)"); empty when none. */
  repaired: string[];
}

export function saveToken(key: string, token: string, env: NodeJS.ProcessEnv = process.env, report: StoreReport = () => {}): Promise<SavedToken> {
  const file = tokenFile(env);
  const repaired: string[] = [];
  const note: StoreReport = (text, kind) => (kind ? report(text, kind) : void repaired.push(text));
  return exclusive(file, note, async () => {
    const tokens = tokensIn(await readJson(file, note));
    if (tokens[key] !== token) await writeJson(file, { ...tokens, [key]: token }, note);
    return { path: file, mode: 0o600, repaired };
  }, true);
}

/**
 * Removes the token saved for the key; with `onlyIf`, only while it is still that token (a run
 * forgets the token it was refused, never one another run saved since). Returns whether one was removed.
 */
export function forgetToken(key: string, env: NodeJS.ProcessEnv = process.env, report: StoreReport = () => {}, onlyIf?: string): Promise<boolean> {
  const file = tokenFile(env);
  return exclusive(file, report, async () => {
    const tokens = tokensIn(await readJson(file, report));
    if (!(key in tokens) || (onlyIf !== undefined && tokens[key] !== onlyIf)) return false;
    delete tokens[key];
    await writeJson(file, tokens, report);
    return true;
  }, false);
}

/**
 * Recovery key files beeper-setup wrote, by full path, and how far their key got: `written` (never
 * sent to be activated), `activating` (sent; no answer yet), `active`. A rerun that finds the file
 * says what it holds (src/wording/newKey.ts). `dev`/`ino` tell the file from another at the same path.
 */
export interface KeyFileRecord {
  state: 'written' | 'activating' | 'active';
  /** When the state was last set (ISO 8601). */
  at: string;
  /** The app the key is for, once known. */
  app?: string;
  dev: string;
  ino: string;
}

function keyFilesFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'recovery-key-files.json');
}

const identity = async (path: string) => {
  const stats = await lstat(path, { bigint: true });
  return { dev: String(stats.dev), ino: String(stats.ino) };
};

/** Notes the file's state; a file no longer there is dropped from the record. */
export function recordKeyFile(path: string, state: KeyFileRecord['state'], app?: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = keyFilesFile(env);
  return exclusive(file, () => {}, async () => {
    const all = await readJson(file, () => {});
    const id = await identity(path).catch(() => undefined);
    if (id) all[path] = { state, at: new Date().toISOString(), ...(app ? { app } : {}), ...id } satisfies KeyFileRecord;
    else delete all[path];
    await writeJson(file, all, () => {});
  }, true);
}

/** What beeper-setup recorded about the file at `path`, if it is still that file. */
export async function lookUpKeyFile(path: string, env: NodeJS.ProcessEnv = process.env): Promise<KeyFileRecord | undefined> {
  const file = keyFilesFile(env);
  const entry = (await exclusive(file, () => {}, () => readJson(file, () => {}), false))[path];
  if (!isObject(entry) || !['written', 'activating', 'active'].includes(String(entry.state))) return undefined;
  const id = await identity(path).catch(() => undefined);
  return id && entry.dev === id.dev && entry.ino === id.ino ? (entry as unknown as KeyFileRecord) : undefined;
}
