/**
 * The run context, built once from the parsed command line and handed down: planRun decides
 * what the command line says (the front end, the address and the key its token is filed under,
 * how to run it again), openRun opens what the run needs (the demo's simulator or the ssh
 * tunnel, the one-run-per-app lock, the token store, the client). Nothing below re-derives any
 * of it. Light on purpose: main() imports it before knowing which front end runs, so the heavy
 * parts load inside openRun. No React here.
 */
import type { SetupClient } from './api/client.js';
import { DEFAULT_BASE_URL } from './api/types.js';
import { hasUserInfo, isClearTextBeyondLoopback, resolveBaseUrl, withoutUserInfo } from './api/transport.js';
import { refuseScriptAnswers, type CliOptions } from './args.js';
import { DebugLog } from './debugLog.js';
import { CliError, ExitCode } from './exitCodes.js';
import { invocationOf, type Invocation } from './invocation.js';
import type { ProgramIO } from './io.js';
import type { Secret } from './shared/secret.js';
import type { StopSignals } from './signals.js';
import type { SshTunnel } from './ssh.js';
import { sshTokenKey } from './sshTarget.js';
import type { TokenKeeper } from './tokenKeeper.js';
import type { TokenSource } from './tokenStore.js';
import type { PendingSignIn } from '../machines/types.js';

/** Which front end runs: the Ink wizard, plain lines, NDJSON events, or one of the two reports. */
export type Mode = 'wizard' | 'plain' | 'json' | 'status' | 'logout';

/** What the command line says about this run, decided once. */
export interface RunPlan {
  options: CliOptions;
  mode: Mode;
  /**
   * Beeper's address as given (--base-url, BEEPER_BASE_URL or the default), checked. Through
   * --ssh or with --demo, the run's context holds where it connects once that is open.
   */
  baseUrl: string;
  /** What the saved token is filed under: the base URL, or ssh://[user@]host:port through a tunnel. */
  tokenKey: string;
  /** How to run beeper-setup again from here, for "run it again" and the ready screen's status command. */
  invocation: Invocation;
  /** Streams, environment, stdin lines and clock (tests pass their own). */
  io: ProgramIO;
  /** The program's stop signals (Ctrl-C, SIGTERM, SIGHUP). */
  stops: StopSignals;
  /** --debug lines (requests, the ssh tunnel); the wizard points them into its frame. */
  debugLog: DebugLog;
  /** A line for people on stderr, before any front end has the screen (a wait for another run's lock). */
  say: (line: string) => void;
}

/** A plan opened: what every front end and `status` work with. The machine is src/setupActor.ts's. */
export interface RunContext extends RunPlan {
  /** Where requests go: the address given, the tunnel's local end, or the demo's simulator. */
  baseUrl: string;
  client: SetupClient;
  /** The token the run starts with; once the machine runs, its context holds the live one. */
  readonly accessToken: Secret | undefined;
  readonly tokenSource: TokenSource | undefined;
  /** A sign-in an earlier run left waiting for its code (or at its username). */
  pendingSignIn: PendingSignIn | undefined;
  /** Writes the token, pending sign-ins and key-file records for this run, and says what happened. */
  keeper: TokenKeeper;
  /** What the token store did while loading, as sentences to say once at the start ("Fixed permissions: …"). */
  storeNotes: string[];
  /** Set by --demo: the in-process simulator, for the demo banner and its other device. */
  demo?: DemoHandle | undefined;
  /** Set by --ssh: the tunnel, which says when its ssh exits under the run (src/ssh.ts). */
  tunnel?: Pick<SshTunnel, 'onClosed'> | undefined;
  /** Flushes the token's writes, then closes the tunnel, the lock and the demo: on every path, signals and errors included. */
  close(): Promise<void>;
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

/** Ink only with a person at both ends of a terminal, and not when plain lines were asked for. */
function wantsWizard(options: CliOptions, io: Pick<ProgramIO, 'env' | 'tty'>): boolean {
  const { env } = io;
  const ci = !!env.CI && env.CI !== 'false' && env.CI !== '0';
  // TERM=dumb cannot take the wizard's redraws: the plain line mode serves it.
  const dumb = env.TERM === 'dumb';
  return io.tty.stdin && io.tty.stdout && !options.nonInteractive && !options.json && !options.plain && !ci && !dumb;
}

function modeOf(options: CliOptions, io: Pick<ProgramIO, 'env' | 'tty'>): Mode {
  if (options.command === 'logout' || options.command === 'status') return options.command;
  if (wantsWizard(options, io)) return 'wizard';
  return options.json ? 'json' : 'plain';
}

/**
 * A user name or password in the address would be printed in every message that names it, and
 * Beeper's API takes none: refused before anything is sent or shown, naming only the rest of it.
 */
function refuseUserInfo(url: string, options: Pick<CliOptions, 'baseUrl'>): void {
  if (!hasUserInfo(url)) return;
  const from = options.baseUrl ? '--base-url' : 'BEEPER_BASE_URL';
  const bare = withoutUserInfo(url);
  throw new CliError(
    `The address in ${from} holds a user name or password before the host. Beeper's API takes none, and beeper-setup never sends or prints them.`,
    ExitCode.Usage,
    `Give the address without them: ${from === '--base-url' ? `--base-url ${bare}` : `BEEPER_BASE_URL=${bare}`}.`,
  );
}

/**
 * A base URL that cannot work is a usage error, not an unreachable app; one that
 * would carry the token in clear text across a network needs the user's word for it.
 */
function checkBaseUrl(url: string, options: Pick<CliOptions, 'allowInsecureHttp' | 'baseUrl'>, say: (line: string) => void): void {
  refuseUserInfo(url, options);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || !parsed.hostname) {
    throw new CliError(
      `"${url}" is not a Beeper API address.`,
      ExitCode.Usage,
      `Give it as http://HOST:PORT, e.g. --base-url ${DEFAULT_BASE_URL} (or set BEEPER_BASE_URL).`,
    );
  }
  if (isClearTextBeyondLoopback(url)) {
    if (!options.allowInsecureHttp) {
      throw new CliError(
        `${url} is plain HTTP to another machine: the sign-in code, your recovery key and the access token would cross the network unencrypted.`,
        ExitCode.Usage,
        `Use --ssh [user@]${parsed.hostname} to reach a remote Beeper Server through an encrypted tunnel, an https:// address, or --allow-insecure-http if you accept the risk.`,
      );
    }
    say(`Warning: ${url} is plain HTTP to another machine. The sign-in code, your recovery key and the access token travel unencrypted (--allow-insecure-http).`);
  }
}

/**
 * What the command line says, decided once and checked before anything is opened or sent: the
 * front end, the address and its token key, answer flags the wizard would ignore. `say` takes
 * the one warning it may give (plain HTTP accepted with --allow-insecure-http).
 */
export function planRun(given: CliOptions, io: ProgramIO, stops: StopSignals, say: (line: string) => void): RunPlan {
  // The demo's simulator lives as long as this run: a token for it is worth nothing later.
  const options = given.demo ? { ...given, saveToken: false } : given;
  const mode = modeOf(options, io);
  if (mode === 'wizard') refuseScriptAnswers(options);
  const baseUrl = resolveBaseUrl(options.baseUrl, io.env);
  // The address names the saved token and is printed: one with a password in it is refused for logout too.
  // Through --ssh or with --demo it is not where the run connects, so it needs no other check.
  if (!options.ssh && !options.demo) {
    if (mode === 'logout') refuseUserInfo(baseUrl, options);
    else checkBaseUrl(baseUrl, options, say);
  }
  return {
    options,
    mode,
    baseUrl,
    tokenKey: options.ssh ? sshTokenKey(options.ssh, options.remotePort) : baseUrl,
    invocation: invocationOf(options),
    io,
    stops,
    debugLog: new DebugLog(options.debug, say),
    say,
  };
}

/**
 * Opens what the plan needs, in order: the demo's simulator or the ssh tunnel, this app's run lock
 * (`status` only reads, and the demo's app is its own), the token store, the client. What was
 * opened before a failure is closed before the failure goes on.
 */
export async function openRun(plan: RunPlan): Promise<RunContext> {
  const { options, io, stops, debugLog } = plan;
  const closers: (() => Promise<void>)[] = [];
  let keeper: TokenKeeper | undefined;
  const close = async () => {
    // A token saved just before the end must reach the disk before the process exits.
    await keeper?.flush();
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => {});
  };
  try {
    let { baseUrl, tokenKey } = plan;
    let demo: DemoHandle | undefined;
    let tunnel: RunContext['tunnel'];
    if (options.demo) {
      const { startDemo } = await import('./demo.js');
      const running = await startDemo();
      closers.push(running.close);
      ({ baseUrl } = running);
      tokenKey = running.baseUrl;
      demo = running.handle;
    } else if (options.ssh) {
      const { openSshTunnel } = await import('./ssh.js');
      const opened = await openSshTunnel(options.ssh, options.remotePort, { debug: options.debug, log: debugLog.write, signal: stops.signal, env: io.env });
      closers.push(opened.close);
      ({ baseUrl } = opened);
      tunnel = opened;
    }
    // One run per app: a second would sign this one out.
    if (plan.mode !== 'status' && !options.demo) {
      const { claimApp } = await import('./runLock.js');
      closers.push(await claimApp(tokenKey, io.env, { say: plan.say }));
    }
    const [{ openTokenKeeper }, { SetupClient }] = await Promise.all([import('./tokenKeeper.js'), import('./api/client.js')]);
    const store = await openTokenKeeper({ key: tokenKey, save: options.saveToken, env: io.env });
    keeper = store.keeper;
    const client = new SetupClient({ baseUrl, allowInsecureHttp: options.allowInsecureHttp, ...(options.debug ? { onLog: debugLog.write } : {}) });
    return {
      ...plan,
      baseUrl,
      tokenKey,
      client,
      accessToken: store.accessToken,
      tokenSource: store.tokenSource,
      pendingSignIn: store.pendingSignIn,
      keeper,
      storeNotes: store.notes,
      demo,
      tunnel,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
