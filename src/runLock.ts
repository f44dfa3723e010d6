/**
 * One beeper-setup at a time per app. Two runs against the same app sign each other out: each
 * sign-in replaces the app's session, so the other's token is refused, it signs in again, and so on,
 * mailing a code each round. A run holds a lock named after the app's token key in the config folder
 * (shared/fileLock.ts: a crashed holder's lock expires within RUN_LOCK.staleMs) and writes its pid
 * beside it, so a second run can say who is at work.
 */
import { createHash } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CliError, ExitCode } from './exitCodes.js';
import { LockBusyError, takeLock } from './shared/fileLock.js';
import { ensurePrivateFolder, readPrivateFile, writePrivateFile } from './shared/privateFile.js';
import { configDir } from './tokenStore.js';

const RUN_LOCK = { staleMs: 10_000 };

interface Owner {
  pid: number;
  host: string;
  key: string;
}

/** Whether a process with this pid runs on this machine (EPERM: it does, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse((await readPrivateFile(file)) ?? 'null') as Partial<Owner> | null;
    return owner && typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as Owner) : undefined;
  } catch {
    return undefined;
  }
}

export interface RunLockIO {
  /** A line for the person (stderr or above the wizard). */
  say(line: string): void;
}

/**
 * Claims the app for this run; resolves to the release. Another live run on it: exit 1, naming
 * its pid. A holder that died without releasing: waits (at most RUN_LOCK.staleMs) for its lock to
 * expire. A config folder where no lock can be made (read-only): the run goes on, and says so.
 */
export async function claimApp(key: string, env: NodeJS.ProcessEnv, io: RunLockIO): Promise<() => Promise<void>> {
  const dir = configDir(env);
  // Any key (a URL, ssh://user@host:port) as a short file name.
  const base = join(dir, `run-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`);
  const ownerFile = `${base}.json`;
  let release: () => Promise<void>;
  try {
    await ensurePrivateFolder(dir);
    release = await takeOrWait(base, ownerFile, key, io);
  } catch (error) {
    if (error instanceof CliError) throw error;
    io.say(`Could not take the lock that keeps two beeper-setup runs off the same app (${error instanceof Error ? error.message : String(error)}); going on without it.`);
    return async () => {};
  }
  try {
    await writePrivateFile(ownerFile, `${JSON.stringify({ pid: process.pid, host: hostname(), key })}\n`);
  } catch {
    // Only the message of a second run loses its pid.
  }
  return async () => {
    // The owner file first: a run that finds the lock taken never reads a finished run's pid.
    await unlink(ownerFile).catch(() => {});
    await release();
  };
}

async function takeOrWait(base: string, ownerFile: string, key: string, io: RunLockIO): Promise<() => Promise<void>> {
  try {
    return await takeLock(base, { ...RUN_LOCK, waitMs: 0 });
  } catch (error) {
    if (!(error instanceof LockBusyError)) throw error;
  }
  // The owner file is written just after the lock is taken: give a run that just started a moment.
  let owner = await readOwner(ownerFile);
  for (let tries = 0; !owner && tries < 10; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    owner = await readOwner(ownerFile);
  }
  const here = owner?.host === hostname();
  if (owner && here && owner.pid !== process.pid && !isAlive(owner.pid)) {
    io.say(`A beeper-setup (pid ${owner.pid}) that ended without finishing left its lock on ${key}; taking it over once it expires (at most ${RUN_LOCK.staleMs / 1000} s).`);
    try {
      return await takeLock(base, { ...RUN_LOCK, waitMs: RUN_LOCK.staleMs + 2_000 });
    } catch (error) {
      if (!(error instanceof LockBusyError)) throw error;
    }
  }
  const who = owner ? `Another beeper-setup (pid ${owner.pid}${here ? '' : ` on ${owner.host}`})` : 'Another beeper-setup';
  throw new CliError(
    `${who} is working on ${key}. Two runs at once would sign each other out, so this one stops.`,
    ExitCode.Error,
    `Let it finish, or stop it${owner && here ? ` (kill ${owner.pid})` : ''}, then run again: a rerun resumes where the app stands.`,
  );
}
