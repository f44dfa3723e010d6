/**
 * The one owner of what a run keeps on disk: the access token and a sign-in
 * waiting for its code. The machine says what changed (its rememberToken,
 * forgetSavedToken and rememberPendingSignIn actions, wired in runtime.ts);
 * this writes it in order, in the background, and reports the truth at the
 * end: where the token went, with what mode, what was repaired, what failed.
 */
import type { PendingSignIn } from '../machines/types.js';
import { Secret } from './shared/secret.js';
import { forgetToken, savePendingSignIn, saveToken, type PendingSignInRecord, type SavedToken, type StoreReport } from './tokenStore.js';

export interface KeeperReport {
  /** Where the token was saved in this run (mode 0600), if it was. */
  saved: SavedToken | undefined;
  /** A saved token the app refused or signed out was removed. */
  forgotten: boolean;
  /** Permissions put right in this run, from loading on ("made … private (was 0644)"). */
  repaired: string[];
  /** Those of `repaired` already said when the run started. */
  repairedEarlier: string[];
  /** A damaged file moved aside, in words. */
  notices: string[];
  /** Why a write failed, in words; the run goes on without it. */
  failures: string[];
}

export interface TokenKeeperOptions {
  /** The address the token belongs to: the base URL, or ssh://host:port through a tunnel. */
  key: string;
  /** False with --no-save-token (and in the demo): nothing is written. */
  save: boolean;
  /** Where the token this run started with came from: one from BEEPER_ACCESS_TOKEN is the caller's, never written or removed. */
  source: 'env' | 'saved' | undefined;
  /** The saved token this run started with (source `saved`). */
  savedToken?: string | undefined;
  /** Permissions put right while the run loaded the store (said at its start, reported again in `repaired`). */
  repairedOnLoad?: string[];
  env?: NodeJS.ProcessEnv;
}

export class TokenKeeper {
  private queue: Promise<void> = Promise.resolve();
  private readonly report: KeeperReport;
  private hasSavedToken: boolean;
  /** The token this run saved or started with: the only one it may forget. */
  private current: string | undefined;

  constructor(private readonly options: TokenKeeperOptions) {
    this.hasSavedToken = options.source === 'saved';
    this.current = options.source === 'saved' ? options.savedToken : undefined;
    const earlier = [...(options.repairedOnLoad ?? [])];
    this.report = { saved: undefined, forgotten: false, repaired: [...earlier], repairedEarlier: earlier, notices: [], failures: [] };
  }

  /** Sign-in produced a token: keep it for the next run (unless told not to). */
  rememberToken(token: Secret): void {
    if (!this.options.save) return;
    this.hasSavedToken = true;
    this.current = token.reveal();
    const value = this.current;
    this.enqueue(async () => {
      const saved = await saveToken(this.options.key, value, this.options.env, this.note);
      this.report.saved = saved;
      this.report.repaired.push(...saved.repaired);
    });
  }

  /**
   * The token was refused or signed out: a saved copy is worthless. Only that token is removed: one
   * another run saved for the same app since is left alone. A variable's token is never touched.
   */
  forgetSavedToken(): void {
    if (!this.hasSavedToken) return;
    this.hasSavedToken = false;
    const refused = this.current;
    this.current = undefined;
    this.enqueue(async () => {
      if (await forgetToken(this.options.key, this.options.env, this.note, refused)) this.report.forgotten = true;
      this.report.saved = undefined;
    });
  }

  /** A code was mailed (or a registration began): a rerun continues it. `undefined` once signed in. */
  rememberPendingSignIn(pending: PendingSignIn | undefined): void {
    if (!this.options.save) return;
    const record: PendingSignInRecord | undefined = pending && {
      setupRequestID: pending.setupRequestID,
      email: pending.email,
      ...(pending.registration
        ? {
            registration: {
              setupRequestID: pending.registration.setupRequestID,
              leadToken: pending.registration.leadToken.reveal(),
              usernameSuggestions: pending.registration.usernameSuggestions,
              copy: pending.registration.copy,
            },
          }
        : {}),
    };
    this.enqueue(() => savePendingSignIn(this.options.key, record, this.options.env, this.note));
  }

  /** Another write that must land before the run ends (a key file's state): queued with the others, flushed with them. */
  alongside(write: () => Promise<unknown>): void {
    this.enqueue(write);
  }

  /** Waits for every write so far; what happened, for the closing lines. */
  async flush(): Promise<KeeperReport> {
    await this.queue;
    return { ...this.report, repaired: [...new Set(this.report.repaired)], notices: [...new Set(this.report.notices)], failures: [...this.report.failures] };
  }

  private readonly note: StoreReport = (line, kind) => void (kind === 'moved-aside' ? this.report.notices : this.report.repaired).push(line);

  private enqueue(write: () => Promise<unknown>): void {
    // A failed write costs only the resume: it must not stop the run, but it is told at the end.
    this.queue = this.queue.then(write).then(
      () => {},
      (error: unknown) => void this.report.failures.push(error instanceof Error ? error.message : String(error)),
    );
  }
}

/** The pending sign-in a file holds, as the machine takes it (the lead token wrapped as a Secret). */
export function toPendingSignIn(record: PendingSignInRecord | undefined): PendingSignIn | undefined {
  if (!record) return undefined;
  return {
    setupRequestID: record.setupRequestID,
    email: record.email,
    ...(record.registration
      ? {
          registration: {
            setupRequestID: record.registration.setupRequestID,
            leadToken: new Secret(record.registration.leadToken),
            usernameSuggestions: record.registration.usernameSuggestions,
            copy: record.registration.copy,
          },
        }
      : {}),
  };
}
