/** Durations as people read them, the same in the wizard and in headless lines. */
import { storeNotes, type TokenSource } from '../tokenStore.js';

/** "42s", "3m 05s", "1h 02m": elapsed time of a wait. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** "90s" → "1m 30s", "10m", "500ms": a duration given on the command line (--timeout). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return formatElapsed(ms);
}

/** What a run says about the access token at its end: the lines, and the saved file when it reports one. */
export interface TokenReport {
  lines: string[];
  /** Set when the run reports a saved token (the NDJSON `token-saved` event). */
  saved?: { path: string; repaired: string[] };
}

export function describeToken(
  kept: { saved: { path: string } | undefined; repaired: string[]; repairedEarlier?: string[]; notices?: string[]; failures: string[] },
  run: { tokenSource: TokenSource | undefined; saveToken: boolean },
): TokenReport {
  if (run.tokenSource === 'env') return { lines: [] };
  if (!run.saveToken) return { lines: ['The access token was not saved (--no-save-token).'] };
  if (kept.failures.length > 0) {
    return { lines: [`Could not save the access token: ${kept.failures[0]} The next run signs in again; use --print-token to keep it yourself.`] };
  }
  const lines: string[] = [];
  if (kept.saved) lines.push(`The access token is saved in ${kept.saved.path} (mode 0600: only you can read it); beeper-setup logout forgets it.`);
  // Repairs said when the run started are not said again; the event still lists them all.
  const fresh = kept.repaired.filter((line) => !kept.repairedEarlier?.includes(line));
  lines.push(...storeNotes({ repaired: fresh, movedAside: kept.notices ?? [] }));
  return { lines, ...(kept.saved ? { saved: { path: kept.saved.path, repaired: kept.repaired } } : {}) };
}
