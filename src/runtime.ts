/**
 * What both front ends (Ink wizard, headless) need to drive the machine: a
 * client, the token to resume with, and token persistence. No React here.
 */
import { createActor, type Actor } from 'xstate';
import { SetupClient } from './api/client.js';
import type { CliOptions } from './args.js';
import { Secret } from './shared/secret.js';
import { forgetToken, loadPendingSignIn, loadToken, savePendingSignIn, saveToken, type PendingSignInRecord } from './tokenStore.js';
import { setupMachine, type SetupInput } from '../machines/setupMachine.js';

/**
 * Where --debug lines go. Starts as stderr; the Ink wizard points it into the
 * UI while it owns the screen, because a stray stderr line would tear its frame.
 */
export class DebugLog {
  private sink: (line: string) => void;

  constructor(
    readonly enabled: boolean,
    initial: (line: string) => void,
  ) {
    this.sink = initial;
  }

  readonly write = (line: string): void => {
    if (this.enabled) this.sink(line);
  };

  /** Sends lines to `sink` until the returned function restores the previous one. */
  redirect(sink: (line: string) => void): () => void {
    const previous = this.sink;
    this.sink = sink;
    return () => {
      this.sink = previous;
    };
  }
}

export interface RunContext {
  options: CliOptions;
  baseUrl: string;
  /** What the saved token is filed under: the base URL, or ssh://host:port for tunnels. */
  tokenKey: string;
  client: SetupClient;
  debugLog: DebugLog;
  accessToken: Secret | undefined;
  tokenSource: 'env' | 'saved' | undefined;
  /** A sign-in an earlier run left waiting for its code. */
  pendingSignIn: PendingSignInRecord | undefined;
  /** Set by --demo: the in-process simulator, for the demo banner and its other device. */
  demo?: DemoHandle | undefined;
  /** Human-readable description of where we connect, for headers: "Beeper Server 4.2.1 on 127.0.0.1:23373". */
  describeTarget?: (() => string) | undefined;
}

export interface DemoHandle {
  /** Lines that tell a newcomer how to walk the demo (accounts, where codes show up). */
  banner: string[];
  /** Subscribe to the simulator's mail and other-device lines; returns an unsubscribe. */
  onEvent: (listener: (event: { kind: 'mail' | 'other-device'; text: string }) => void) => () => void;
  /** Lets the demo's other device scan the QR the wizard shows. */
  scanQr: () => Promise<void>;
}

export async function createRunContext(
  options: CliOptions,
  baseUrl: string,
  tokenKey: string,
  env: NodeJS.ProcessEnv = process.env,
  debugLog: DebugLog = new DebugLog(options.debug, (line) => process.stderr.write(`${line}\n`)),
): Promise<RunContext> {
  const fromEnv = env.BEEPER_ACCESS_TOKEN?.trim();
  const saved = fromEnv ? undefined : await loadToken(tokenKey, env);
  const client = new SetupClient({ baseUrl, ...(options.debug ? { onLog: debugLog.write } : {}) });
  return {
    options,
    baseUrl: client.baseUrl,
    tokenKey,
    client,
    debugLog,
    accessToken: fromEnv ? new Secret(fromEnv) : saved ? new Secret(saved) : undefined,
    tokenSource: fromEnv ? 'env' : saved ? 'saved' : undefined,
    pendingSignIn: options.saveToken ? await loadPendingSignIn(tokenKey, env) : undefined,
  };
}

export function machineInput(context: RunContext, overrides: Partial<SetupInput> = {}): SetupInput {
  return {
    api: context.client,
    accessToken: context.accessToken,
    email: context.options.email,
    pendingSignIn: context.pendingSignIn,
    ...overrides,
  };
}

export function startSetupActor(context: RunContext, overrides: Partial<SetupInput> = {}): Actor<typeof setupMachine> {
  const actor = createActor(setupMachine, { input: machineInput(context, overrides) });
  persistTokenChanges(actor, context);
  return actor;
}

/**
 * Saves the token whenever sign-in yields a new one, and drops a saved one the
 * server refused. A token from BEEPER_ACCESS_TOKEN is the caller's: never written.
 */
export function persistTokenChanges(actor: Actor<typeof setupMachine>, context: RunContext, env: NodeJS.ProcessEnv = process.env): void {
  let last = context.accessToken;
  let pendingID = context.pendingSignIn?.setupRequestID;
  actor.subscribe((snapshot) => {
    if (context.options.saveToken) {
      // A mailed code outlives this run: remember which sign-in it belongs to; forget it once signed in.
      const waitingForCode = snapshot.matches({ signIn: 'enterCode' }) ? snapshot.context.setupRequestID : undefined;
      const pending = waitingForCode ?? (snapshot.context.accessToken ? undefined : pendingID);
      if (pending !== pendingID) {
        pendingID = pending;
        track(savePendingSignIn(context.tokenKey, pending ? { setupRequestID: pending, email: snapshot.context.email } : undefined, env));
      }
    }
    const token = snapshot.context.accessToken;
    if (token === last) return;
    last = token;
    if (token) {
      context.accessToken = token;
      if (context.options.saveToken && context.tokenSource !== 'env') track(saveToken(context.tokenKey, token.reveal(), env));
    } else if (context.tokenSource === 'saved') {
      track(forgetToken(context.tokenKey, env));
    }
  });
}

/** Token writes in flight; the front ends await them before returning an exit code. */
const pendingWrites = new Set<Promise<unknown>>();
const writeFailures: string[] = [];

function track(write: Promise<unknown>): void {
  // A failed write only costs the resume; it must not crash the wizard, but it must be told.
  const settled = write
    .catch((error: unknown) => {
      writeFailures.push(error instanceof Error ? error.message : String(error));
    })
    .finally(() => pendingWrites.delete(settled));
  pendingWrites.add(settled);
}

/** Resolves once every token write started so far has finished, with why any of them failed. */
export async function flushTokenWrites(): Promise<string[]> {
  while (pendingWrites.size > 0) await Promise.all([...pendingWrites]);
  return [...writeFailures];
}
