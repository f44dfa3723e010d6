/**
 * Locks that beeper-setup processes share, by proper-lockfile: a folder `PATH.lock` made atomically
 * (mkdir), whose time the holder refreshes while it holds it. One left unrefreshed for `staleMs`
 * belongs to a holder that crashed (SIGKILL, power loss) and is taken over, so no crash blocks the
 * next run for longer than that.
 */
import { lock } from 'proper-lockfile';

export interface LockOptions {
  /** Unrefreshed this long, a lock is a crashed holder's. proper-lockfile's minimum is 2 s. */
  staleMs: number;
  /** How long to wait for a held lock before giving up (0: not at all). */
  waitMs: number;
}

/** The lock is held by someone else (after waiting `waitMs`). */
export class LockBusyError extends Error {
  constructor(readonly path: string) {
    super(`${path} is locked by another process.`);
    this.name = 'LockBusyError';
  }
}

const POLL_MS = 50;

/** Takes the lock on `path` (which need not exist; its folder must); resolves to its release. */
export async function takeLock(path: string, { staleMs, waitMs }: LockOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const release = await lock(path, {
        realpath: false,
        stale: staleMs,
        // Retried here, and only while someone holds it: a read-only or missing folder fails at once.
        retries: 0,
        // Held past `staleMs` without a refresh (a machine asleep, a frozen event loop): another process may
        // have taken it over by now. Nothing can be undone at that point; the write in hand finishes.
        onCompromised: () => {},
      });
      return () => release().catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (Date.now() >= deadline) throw new LockBusyError(path);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
