/**
 * Keeps the access token between runs so a rerun resumes where the server
 * stands. One JSON file, mode 0600 in a 0700 folder, keyed by the address the
 * token belongs to (the base URL, or ssh://host for tunnels).
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

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

async function readJson(file: string): Promise<Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function writeJson(file: string, data: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<void> {
  await mkdir(configDir(env), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  // Written to a private temp file and renamed, so it is never readable by others, even briefly.
  await writeFile(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
}

async function readAll(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const parsed = await readJson(tokenFile(env));
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

const writeAll = (tokens: Record<string, string>, env: NodeJS.ProcessEnv) => writeJson(tokenFile(env), tokens, env);

export interface PendingSignInRecord {
  setupRequestID: string;
  email: string;
}

export async function loadPendingSignIn(key: string, env: NodeJS.ProcessEnv = process.env): Promise<PendingSignInRecord | undefined> {
  const entry = (await readJson(pendingFile(env)))[key] as Partial<PendingSignInRecord> | undefined;
  return typeof entry?.setupRequestID === 'string' && typeof entry.email === 'string'
    ? { setupRequestID: entry.setupRequestID, email: entry.email }
    : undefined;
}

/** Records (or with `undefined`, forgets) the sign-in waiting for its code. */
export async function savePendingSignIn(key: string, pending: PendingSignInRecord | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const all = await readJson(pendingFile(env));
  if (!pending && !(key in all)) return;
  if (pending) all[key] = pending;
  else delete all[key];
  await writeJson(pendingFile(env), all, env);
}

export async function loadToken(key: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return (await readAll(env))[key];
}

export async function saveToken(key: string, token: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const tokens = await readAll(env);
  if (tokens[key] === token) return;
  await writeAll({ ...tokens, [key]: token }, env);
}

/** Returns whether a token was stored for the key. */
export async function forgetToken(key: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const tokens = await readAll(env);
  if (!(key in tokens)) return false;
  delete tokens[key];
  await writeAll(tokens, env);
  return true;
}
