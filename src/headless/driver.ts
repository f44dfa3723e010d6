/**
 * Drives the setup machine without a UI: reads each snapshot, answers the
 * steps that need an answer (from flags, files, the environment or one line
 * of stdin), reports the waits, and turns the end state into an exit code.
 * The machine decides the flow; this only reacts to it.
 */
import qrcode from 'qrcode-terminal';
import type { Actor } from 'xstate';
import type { SetupEvent, SetupMachine } from '../../machines/setupMachine.js';
import type { Problem } from '../../machines/problems.js';
import { CliError, ExitCode } from '../exitCodes.js';
import { flushTokenWrites, type RunContext } from '../runtime.js';
import { tokenFile } from '../tokenStore.js';
import { answer } from './answers.js';
import type { LineSource } from './lines.js';
import { formatDuration, formatElapsed, HeadlessError, type PromptFor, type Reporter } from './output.js';
import { sameStep, stepOf, waitLine, type AskStep, type EndStep, type SetupSnapshot, type Step, type WaitStep } from './steps.js';

/** Thrown into a pending prompt when the machine moved on or the user interrupted. */
export const ABORTED = Symbol('aborted');

export interface DriverIO {
  out: Reporter;
  lines: LineSource;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderrIsTTY: boolean;
  /** How often a long wait reports its elapsed time. */
  heartbeatMs: number;
}

/** What the answers remember between snapshots. */
export interface DriverMemory {
  /** One-shot answers from flags, files and the environment already sent. */
  used: Set<string>;
  /** The last answer sent: a problem on the same step is the server's reply to it. */
  last: { step: AskStep; fromStdin: boolean } | undefined;
  wrongKeys: number;
  /** The setup request a sign-in restart was already reported for. */
  restartedFor: string | undefined;
  keySaved: boolean;
  methodChoices: number;
  registrationChecked: boolean;
  usernameFromStdin: boolean;
  lookedForIncoming: boolean;
  shownSasFor: string | undefined;
}

const LONG_WAITS: Partial<Record<WaitStep, 'other-device' | 'other-device-confirm' | 'server'>> = {
  'waiting-other-device': 'other-device',
  'showing-qr': 'other-device',
  'waiting-other-confirm': 'other-device-confirm',
  'waiting-server': 'server',
};

export class Driver {
  readonly memory: DriverMemory = {
    used: new Set(),
    last: undefined,
    wrongKeys: 0,
    restartedFor: undefined,
    keySaved: false,
    methodChoices: 0,
    registrationChecked: false,
    usernameFromStdin: false,
    lookedForIncoming: false,
    shownSasFor: undefined,
  };
  private interrupted = false;
  private lastWait: WaitStep | undefined;

  constructor(
    readonly ctx: RunContext,
    readonly actor: Actor<SetupMachine>,
    readonly io: DriverIO,
  ) {}

  get out(): Reporter {
    return this.io.out;
  }

  get options() {
    return this.ctx.options;
  }

  interrupt(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    // Only stops watching: nothing is cancelled on the server, so a rerun resumes.
    this.actor.send({ type: 'INTERRUPT' });
  }

  async run(): Promise<number> {
    let previous: Step | undefined;
    for (;;) {
      const snapshot = this.actor.getSnapshot();
      if (snapshot.status === 'error') throw snapshot.error;
      const step = stepOf(snapshot);
      if (!previous || !sameStep(previous, step)) this.announce(step, snapshot, previous);
      previous = step;
      if (step.kind === 'end') return this.finish(step.name, snapshot, await flushTokenWrites());
      try {
        if (step.kind === 'ask') {
          const event = await answer(this, step.name, snapshot);
          // The machine may have moved on while the answer was being found (a poll, a timeout): drop it then.
          if (event && sameStep(stepOf(this.actor.getSnapshot()), step)) this.send(event, step.name);
        } else {
          await this.until(step, snapshot);
        }
      } catch (error) {
        if (error !== ABORTED) throw error;
      }
    }
  }

  /** Asks for one line on stdin, saying first what is awaited; `missing` explains exit 3. */
  async ask(what: PromptFor, message: string, missing: () => CliError, secret = false): Promise<string> {
    // Confirmations only count when typed after the question: a "yes" piped in ahead never confirms.
    const fresh = what === 'emoji-match' || what === 'scan-confirm';
    if (!this.io.lines.canAsk()) throw missing();
    this.out.say(message);
    this.out.emit({ event: 'prompt', for: what, message });
    const asking = stepOf(this.actor.getSnapshot());
    const controller = new AbortController();
    const subscription = this.actor.subscribe((snapshot) => {
      if (snapshot.status !== 'active' || !sameStep(stepOf(snapshot), asking)) controller.abort(ABORTED);
    });
    try {
      const line = await this.io.lines.read({ secret, fresh, signal: controller.signal });
      if (line === undefined) throw missing();
      return line;
    } finally {
      subscription.unsubscribe();
    }
  }

  /** Resolves after the machine's next poll while choosing a method (or when it moves on). */
  nextPoll(): Promise<void> {
    return new Promise((resolve) => {
      let polling = this.actor.getSnapshot().matches({ chooseMethod: 'checking' });
      const subscription = this.actor.subscribe((snapshot) => {
        const checking = snapshot.matches({ chooseMethod: 'checking' });
        if ((polling && !checking) || !snapshot.matches('chooseMethod') || snapshot.status !== 'active') {
          subscription.unsubscribe();
          resolve();
        }
        polling ||= checking;
      });
    });
  }

  /** A problem that will be asked about again. */
  note(problem: Problem): void {
    this.out.say(problem.message);
    this.out.emit({
      event: 'problem',
      code: problem.code ?? problem.kind,
      message: problem.message,
      ...(problem.attemptsLeft !== undefined ? { attemptsLeft: problem.attemptsLeft } : {}),
    });
  }

  /** A problem that ends the run: unreachable → 5, anything else → 1. */
  fail(problem: Problem, prefix = ''): HeadlessError {
    if (this.options.debug) {
      const details = [problem.call, problem.status && `status ${problem.status}`, problem.code].filter(Boolean).join(', ');
      if (details) this.out.debug(`${problem.kind}: ${details}`);
    }
    if (problem.kind === 'unreachable') return new HeadlessError('unreachable', prefix + problem.message, ExitCode.Unreachable);
    if (problem.kind === 'not-beeper') {
      return new HeadlessError(
        'not-beeper',
        `Something answers at ${this.ctx.baseUrl}, but it is not Beeper's API.`,
        ExitCode.Unreachable,
        'Check --base-url (or BEEPER_BASE_URL): Beeper listens on http://localhost:23373 by default.',
      );
    }
    if (problem.kind === 'unsupported-build') {
      return new HeadlessError(
        'unsupported-build',
        `The app at ${this.ctx.baseUrl} answers, but this Beeper build has no terminal setup.`,
        ExitCode.Error,
        'Update Beeper Desktop or Beeper Server, then run beeper-setup again.',
      );
    }
    return new HeadlessError(problem.code ?? problem.kind, prefix + problem.message, ExitCode.Error);
  }

  private send(event: SetupEvent, step: AskStep): void {
    const before = this.actor.getSnapshot();
    this.actor.send(event);
    if (this.actor.getSnapshot() === before) throw new Error(`headless mode sent ${event.type} at "${step}" and the machine ignored it`);
  }

  private announce(step: Step, snapshot: SetupSnapshot, previous: Step | undefined): void {
    // Not "connected" when the run ends right there (failed, interrupted while connecting).
    if (previous?.name === 'connecting' && step.kind !== 'end') {
      const app = snapshot.context.app?.app;
      this.out.say(app ? `Connected to ${app.name} ${app.version}.` : 'Connected.');
      const via = this.ctx.tokenKey.startsWith('ssh://') ? { via: this.ctx.tokenKey } : {};
      this.out.emit({ event: 'connected', baseUrl: this.ctx.baseUrl, ...via, ...(app ? { app: app.name, version: app.version } : {}) });
      if (snapshot.context.notice === 'token-refused') {
        const which = this.ctx.tokenSource === 'env' ? 'The access token in BEEPER_ACCESS_TOKEN' : 'The saved access token';
        this.out.say(`${which} was refused; signing in again.`);
      }
      if (snapshot.context.notice === 'signed-out') this.out.say('Beeper was signed out since the last run; signing in again.');
    }
    if (step.kind === 'end' || step.name === 'routing') return;
    this.out.emit({ event: 'step', step: step.name });
    if (step.kind !== 'wait') return;
    this.lastWait = step.name;
    if (step.name === 'connecting') {
      const via = this.ctx.tokenKey.startsWith('ssh://') ? ` (${this.ctx.tokenKey}, through an ssh tunnel)` : '';
      this.out.say(`Connecting to Beeper at ${this.ctx.baseUrl}${via}…`);
    } else if (step.name === 'showing-qr') {
      this.showQr(snapshot.context.verification?.qr?.data);
    } else {
      const line = waitLine(step.name, snapshot);
      if (line) this.out.say(line);
    }
  }

  private showQr(data: string | undefined): void {
    if (!data) return;
    if (this.io.stderrIsTTY) qrcode.generate(data, { small: true }, (art) => this.out.say(art));
    this.out.say('Scan this QR code with Beeper on your other device.');
    // Without a terminal there is no picture: the payload lets another tool draw it.
    this.out.say(`QR payload: ${data}`);
    this.out.emit({ event: 'qr', data });
  }

  /** Resolves when the machine leaves a wait; long waits report their elapsed time. */
  private until(step: Step & { kind: 'wait' }, snapshot: SetupSnapshot): Promise<void> {
    const waitingFor = LONG_WAITS[step.name];
    const started = Date.now();
    const state = () => this.actor.getSnapshot().context.session?.state;
    const beat = () => {
      if (!waitingFor) return;
      const elapsedMs = Date.now() - started;
      this.out.emit({ event: 'waiting', for: waitingFor, elapsedMs, ...(waitingFor === 'server' ? { state: state() ?? 'unknown' } : {}) });
      if (elapsedMs > 0) this.out.say(`Still waiting (${formatElapsed(elapsedMs)})…`);
    };
    beat();
    return new Promise((resolve, reject) => {
      let failures = snapshot.context.pollFailures;
      const timer = waitingFor ? setInterval(beat, this.io.heartbeatMs) : undefined;
      const subscription = this.actor.subscribe({
        next: (next) => {
          if (failures === 0 && next.context.pollFailures > 0 && next.context.problem) {
            this.out.say(`${next.context.problem.message} Retrying…`);
          }
          failures = next.context.pollFailures;
          if (next.status !== 'active' || !sameStep(stepOf(next), step)) done();
        },
        error: (error) => done(error),
      });
      function done(error?: unknown) {
        clearInterval(timer);
        subscription.unsubscribe();
        if (error) reject(error);
        else resolve();
      }
    });
  }

  private finish(end: EndStep, snapshot: SetupSnapshot, saveFailures: string[]): number {
    const { context } = snapshot;
    switch (end) {
      case 'ready': {
        const matrix = context.session?.matrix;
        this.out.say(matrix ? `Ready: ${matrix.userID} is signed in on device ${matrix.deviceID} (${matrix.homeserver}).` : 'Ready.');
        this.out.emit({ event: 'ready', userID: matrix?.userID ?? '', deviceID: matrix?.deviceID ?? '', homeserver: matrix?.homeserver ?? '' });
        if (this.options.verify === 'reset' && !this.memory.keySaved) {
          this.out.say('This device was already set up, so no new recovery key was made: the account keeps its current key.');
        }
        if (this.ctx.tokenSource !== 'env') {
          this.out.say(
            !this.options.saveToken
              ? 'The access token was not saved (--no-save-token).'
              : saveFailures.length > 0
                ? `Could not save the access token in ${tokenFile(this.io.env)} (${saveFailures[0]}): the next run signs in again. Use --print-token to keep it yourself.`
                : `The access token is saved in ${tokenFile(this.io.env)} (mode 0600); beeper-setup logout forgets it.`,
          );
        }
        const token = context.accessToken ?? this.ctx.accessToken;
        if (this.options.printToken && token) this.io.stdout.write(`BEEPER_ACCESS_TOKEN=${token.reveal()}\n`);
        return ExitCode.Ready;
      }
      case 'interrupted':
        this.out.say('Interrupted. Nothing was cancelled on the server: run beeper-setup again to resume.');
        this.out.emit({ event: 'error', code: 'interrupted', message: 'Interrupted.', exitCode: ExitCode.Interrupted });
        return ExitCode.Interrupted;
      case 'timed-out':
        throw new HeadlessError(
          'timeout',
          `Not ready after ${formatDuration(this.options.timeoutMs)}: ${this.waitedFor(snapshot)}`,
          ExitCode.NotReady,
          'Run the same command again to resume, or allow longer with --timeout.',
        );
      case 'failed':
        throw this.fail(context.problem ?? { kind: 'unexpected', message: 'Setup stopped.' });
    }
  }

  private waitedFor(snapshot: SetupSnapshot): string {
    const wait = this.lastWait ?? 'waiting-server';
    if (wait === 'waiting-server') return `Beeper is still "${snapshot.context.session?.state ?? 'unknown'}".`;
    const device = snapshot.context.verification?.otherDevice?.name ?? 'the other device';
    return `${device} did not finish the verification.`;
  }
}
