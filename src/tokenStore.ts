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

async function readAll(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(tokenFile(env), 'utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

async function writeAll(tokens: Record<string, string>, env: NodeJS.ProcessEnv): Promise<void> {
  await mkdir(configDir(env), { recursive: true, mode: 0o700 });
  const file = tokenFile(env);
  const temp = `${file}.${process.pid}.tmp`;
  // Written to a private temp file and renamed, so the token is never readable by others, even briefly.
  await writeFile(temp, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
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
