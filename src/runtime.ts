/**
 * What every run needs: a client, the token to resume with, and the token's
 * keeper. The machine is src/setupActor.ts's (status needs none). No React here.
 */
import { SetupClient } from './api/client.js';
import type { CliOptions } from './args.js';
import { CliError, ExitCode } from './exitCodes.js';
import { Secret } from './shared/secret.js';
import { processIO, type ProgramIO } from './io.js';
import { StopSignals } from './signals.js';
import { TokenKeeper, toPendingSignIn } from './tokenKeeper.js';
import { loadPendingSignIn, loadToken, TokenStoreError, type StoreReport } from './tokenStore.js';

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
import type { PendingSignIn } from '../machines/setupMachine.js';
import type { SshTunnel } from './ssh.js';

import { DebugLog } from './debugLog.js';
import { invocationOf, type Invocation } from './invocation.js';

export interface RunContext {
  options: CliOptions;
  baseUrl: string;
  /** What the saved token is filed under: the base URL, or ssh://host:port for tunnels. */
  tokenKey: string;
  client: SetupClient;
  debugLog: DebugLog;
  accessToken: Secret | undefined;
  tokenSource: 'env' | 'saved' | undefined;
  /** A sign-in an earlier run left waiting for its code (or at its username). */
  pendingSignIn: PendingSignIn | undefined;
  /** Writes the token and pending sign-ins for this run, and says what happened. */
  keeper: TokenKeeper;
  /** What the token store did while loading, as sentences to say once at the start ("Fixed permissions: …"). */
  storeNotes: string[];
  /** The program's stop signals (Ctrl-C, SIGTERM, SIGHUP). */
  stops: StopSignals;
  /** Streams, environment, stdin lines and clock (tests pass their own). */
  io: ProgramIO;
  /** Set by --demo: the in-process simulator, for the demo banner and its other device. */
  demo?: DemoHandle | undefined;
  /** How to run beeper-setup again from here, for "run it again" and the ready screen's status command. */
  invocation: Invocation;
  /** Set by --ssh: the tunnel, which says when its ssh exits under the run (src/ssh.ts). */
  tunnel?: Pick<SshTunnel, 'onClosed'> | undefined;
}

export interface DemoHandle {
  /** Lines that tell a newcomer how to walk the demo (accounts, where codes show up). */
  banner: string[];
  /** The demo's accounts with their recovery keys, for the panel at the key step. */
  accounts: { email: string; recoveryKey: string | undefined }[];
  /** Subscribe to the simulator's mail and other-device lines; returns an unsubscribe. */
  onEvent: (listener: (event: { kind: 'mail' | 'other-device'; text: string }) => void) => () => void;
  /** Lets the demo's other device scan the QR the wizard shows. */
  scanQr: () => Promise<void>;
  /** How long the demo's phone "takes" to scan a QR code once it is on screen. */
  scanDelayMs: number;
}

/** A file the token store cannot use (a symlink, another owner, too large) is the user's to fix: say so plainly. */
async function fromStore<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof TokenStoreError) throw new CliError(error.message, ExitCode.Error);
    throw error;
  }
}

export async function createRunContext(
  options: CliOptions,
  baseUrl: string,
  tokenKey: string,
  io: ProgramIO = processIO(),
  debugLog: DebugLog = new DebugLog(options.debug, (line) => void io.stderr.write(`${line}\n`)),
  stops: StopSignals = new StopSignals(),
): Promise<RunContext> {
  const { env } = io;
  // What the store did while loading, said once at the start: permissions put right, a damaged file moved aside.
  const repaired: string[] = [];
  const storeNotes: string[] = [];
  const note: StoreReport = (line, kind) => {
    if (kind === 'moved-aside') return void storeNotes.push(`${capitalize(line)}.`);
    repaired.push(line);
    storeNotes.push(`Fixed permissions: ${line}.`);
  };
  const fromEnv = env.BEEPER_ACCESS_TOKEN?.trim();
  const saved = fromEnv ? undefined : await fromStore(() => loadToken(tokenKey, env, note));
  const pending = options.saveToken ? await fromStore(() => loadPendingSignIn(tokenKey, env, note)) : undefined;
  const client = new SetupClient({
    baseUrl,
    allowInsecureHttp: options.allowInsecureHttp,
    ...(options.debug ? { onLog: debugLog.write } : {}),
  });
  const tokenSource = fromEnv ? 'env' : saved ? 'saved' : undefined;
  return {
    options,
    baseUrl: client.baseUrl,
    tokenKey,
    client,
    debugLog,
    accessToken: fromEnv ? new Secret(fromEnv) : saved ? new Secret(saved) : undefined,
    tokenSource,
    pendingSignIn: toPendingSignIn(pending),
    keeper: new TokenKeeper({ key: tokenKey, save: options.saveToken, source: tokenSource, savedToken: saved, repairedOnLoad: [...new Set(repaired)], env }),
    storeNotes: [...new Set(storeNotes)],
    stops,
    io,
    invocation: invocationOf(options),
  };
}
