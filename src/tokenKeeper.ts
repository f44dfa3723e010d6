/**
 * The one owner of what a run keeps on disk: the access token, a sign-in
 * waiting for its code, and what became of a new recovery key's file. It loads
 * what earlier runs left (openTokenKeeper); the machine says what changed
 * (through its input's Persistence, machines/types.ts, which this is); this
 * writes it in order, in the background, and reports the truth at the end:
 * where the token went, with what mode, what was repaired, what failed.
 */
import type { KeyFileState, PendingSignIn, Persistence } from '../machines/types.js';
import { CliError, ExitCode } from './exitCodes.js';
import { Secret } from './shared/secret.js';
import {
  forgetToken,
  loadPendingSignIn,
  loadToken,
  recordKeyFile as writeKeyFileRecord,
  savePendingSignIn,
  saveToken,
  storeNotes,
  TokenStoreError,
  type PendingSignInRecord,
  type SavedToken,
  type StoreReport,
  type TokenSource,
} from './tokenStore.js';

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
  source: TokenSource | undefined;
  /** The saved token this run started with (source `saved`). */
  savedToken?: string | undefined;
  /** Permissions put right while the run loaded the store (said at its start, reported again in `repaired`). */
  repairedOnLoad?: string[];
  env?: NodeJS.ProcessEnv;
}

/** What a run starts with from the store and the environment, and the keeper that writes from there on. */
export interface OpenedStore {
  keeper: TokenKeeper;
  /** The token to resume with: BEEPER_ACCESS_TOKEN, else the one saved for this address. */
  accessToken: Secret | undefined;
  tokenSource: TokenSource | undefined;
  /** A sign-in an earlier run left waiting for its code (or at its username); none with --no-save-token. */
  pendingSignIn: PendingSignIn | undefined;
  /** What the store did while loading (permissions put right, a damaged file moved aside), to say once at the start. */
  notes: string[];
}

/** A file the token store cannot use (a symlink, another owner, too large) is the user's to fix: said plainly, exit 1. */
async function fromStore<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof TokenStoreError) throw new CliError(error.message, ExitCode.Error);
    throw error;
  }
}

/** Loads what earlier runs left for `key` and opens the keeper for this run. */
export async function openTokenKeeper({ key, save, env }: Pick<TokenKeeperOptions, 'key' | 'save'> & { env: NodeJS.ProcessEnv }): Promise<OpenedStore> {
  const repaired: string[] = [];
  const movedAside: string[] = [];
  const note: StoreReport = (line, kind) => void (kind === 'moved-aside' ? movedAside : repaired).push(line);
  const fromEnv = env.BEEPER_ACCESS_TOKEN?.trim();
  const saved = fromEnv ? undefined : await fromStore(() => loadToken(key, env, note));
  const pending = save ? await fromStore(() => loadPendingSignIn(key, env, note)) : undefined;
  const token = fromEnv || saved;
  const tokenSource = fromEnv ? 'env' : saved ? 'saved' : undefined;
  return {
    keeper: new TokenKeeper({ key, save, source: tokenSource, savedToken: saved, repairedOnLoad: [...new Set(repaired)], env }),
    accessToken: token ? new Secret(token) : undefined,
    tokenSource,
    pendingSignIn: toPendingSignIn(pending),
    notes: storeNotes({ repaired, movedAside }),
  };
}

export class TokenKeeper implements Persistence {
  private queue: Promise<void> = Promise.resolve();
  private readonly report: KeeperReport;
  /** The token this run saved or started with (none: a variable's, or none yet): the only one it may forget. */
  private current: string | undefined;

  constructor(private readonly options: TokenKeeperOptions) {
    this.current = options.source === 'saved' ? options.savedToken : undefined;
    const earlier = [...(options.repairedOnLoad ?? [])];
    this.report = { saved: undefined, forgotten: false, repaired: [...earlier], repairedEarlier: earlier, notices: [], failures: [] };
  }

  /** Sign-in produced a token: keep it for the next run (unless told not to). */
  rememberToken(token: Secret): void {
    if (!this.options.save) return;
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
    const refused = this.current;
    if (refused === undefined) return;
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

  /** Records what became of a new key's file now, for the confirm to wait on; a failure costs only that record. */
  recordKeyFile(path: string | undefined, state: KeyFileState): Promise<void> {
    return path ? writeKeyFileRecord(path, state, this.options.key, this.options.env).catch(() => {}) : Promise.resolve();
  }

  /** The same record, queued with the other writes and flushed with them. */
  rememberKeyFileState(path: string | undefined, state: KeyFileState): void {
    this.enqueue(() => this.recordKeyFile(path, state));
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
function toPendingSignIn(record: PendingSignInRecord | undefined): PendingSignIn | undefined {
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
