/**
 * Keeps the access token between runs so a rerun resumes where the server
 * stands. One JSON file, mode 0600 in a 0700 folder, keyed by the address the
 * token belongs to (the base URL, or ssh://host for tunnels). The safety of the
 * files themselves (modes, links, atomic writes) is shared/privateFile.ts.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { readPrivateFile, writePrivateFile, type Report } from './shared/privateFile.js';

/** Every failure of this module: a message naming the file, what is wrong and what to do. */
export { PrivateFileError as TokenStoreError } from './shared/privateFile.js';

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'beeper-setup');
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

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

async function readJson(file: string, report: Report): Promise<Json> {
  const text = await readPrivateFile(file, report);
  if (text === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) return parsed;
  } catch {
    // Reported below without the parser's message: it quotes the file, and the file holds secrets.
  }
  report(`${file} is not a JSON object; it was read as empty and the next save replaces it`);
  return {};
}

const writeJson = (file: string, data: Json, report: Report) => writePrivateFile(file, `${JSON.stringify(data, null, 2)}\n`, report);

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

export async function loadPendingSignIn(key: string, env: NodeJS.ProcessEnv = process.env, report: Report = () => {}): Promise<PendingSignInRecord | undefined> {
  const file = pendingFile(env);
  const entry = (await inTurn(file, () => readJson(file, report)))[key];
  if (!isObject(entry) || typeof entry.setupRequestID !== 'string' || typeof entry.email !== 'string') return undefined;
  const record: PendingSignInRecord = { setupRequestID: entry.setupRequestID, email: entry.email };
  if (entry.registration === undefined) return record;
  const registration = registrationIn(entry.registration);
  // Never quote the entry: it holds the lead token.
  if (!registration) report(`the new-account details saved for ${key} in ${file} are incomplete; they were ignored`);
  return registration ? { ...record, registration } : record;
}

/** Records (or with `undefined`, forgets) the sign-in waiting for its code. */
export function savePendingSignIn(key: string, pending: PendingSignInRecord | undefined, env: NodeJS.ProcessEnv = process.env, report: Report = () => {}): Promise<void> {
  const file = pendingFile(env);
  return inTurn(file, async () => {
    const all = await readJson(file, report);
    if (!pending && !(key in all)) return;
    if (pending) all[key] = pending;
    else delete all[key];
    await writeJson(file, all, report);
  });
}

export function loadToken(key: string, env: NodeJS.ProcessEnv = process.env, report: Report = () => {}): Promise<string | undefined> {
  const file = tokenFile(env);
  return inTurn(file, async () => tokensIn(await readJson(file, report))[key]);
}

/** Where the token is and what was done to keep it private, for the caller to tell the user. */
export interface SavedToken {
  path: string;
  /** Always 0o600: the file is set to exactly this mode, whatever the umask. */
  mode: 0o600;
  /** Repairs made on the way, in words ("made the folder … private (was 0777)"); empty when none. */
  repaired: string[];
}

export function saveToken(key: string, token: string, env: NodeJS.ProcessEnv = process.env): Promise<SavedToken> {
  const file = tokenFile(env);
  return inTurn(file, async () => {
    const repaired: string[] = [];
    const note = (text: string) => void repaired.push(text);
    const tokens = tokensIn(await readJson(file, note));
    if (tokens[key] !== token) await writeJson(file, { ...tokens, [key]: token }, note);
    return { path: file, mode: 0o600, repaired };
  });
}

/** Returns whether a token was stored for the key. */
export function forgetToken(key: string, env: NodeJS.ProcessEnv = process.env, report: Report = () => {}): Promise<boolean> {
  const file = tokenFile(env);
  return inTurn(file, async () => {
    const tokens = tokensIn(await readJson(file, report));
    if (!(key in tokens)) return false;
    delete tokens[key];
    await writeJson(file, tokens, report);
    return true;
  });
}
