/**
 * Drives the setup machine without a full-screen UI: reads the step each
 * snapshot declares (its meta), answers the steps that ask (answers.ts),
 * reports the waits and the notices, and turns the end into an exit code.
 * The machine decides the flow; this only reacts to it.
 */
import type { Actor } from 'xstate';
import type { RunClock } from '../clock.js';
import type { SetupMachine } from '../../machines/setupMachine.js';
import type { PresetAnswer, Problem } from '../../machines/problems.js';
import { sameStep, stepOf, type EndStep, type StepMeta } from '../../machines/steps.js';
import type { SetupContext, SetupEvent } from '../../machines/types.js';
import { CliError, ExitCode } from '../exitCodes.js';
import type { RunContext } from '../runtime.js';
import { printToken } from '../setupActor.js';
import { drawQr, qrPayloadBytes } from '../shared/qr.js';
import type { KeeperReport } from '../tokenKeeper.js';
import { readyLine, SIMULATION_ENDS, stoppedBy, stoppedLine, timedOutText, verifiedText } from '../wording/endOfRun.js';
import { describeToken, formatElapsed } from '../wording/format.js';
import { explainProblem, PROBLEM_ENDS, withAttemptsLeft } from '../wording/problems.js';
import { noticeText, otherDevice, otherDeviceName, stallText, waitText } from '../wording/states.js';
import { answer, type AnswerIO, type AnswerMemory } from './answers.js';
import { describeKeySource, recoveryKeySource } from './keys.js';
import type { LineSource } from '../lines.js';
import { commandLine } from '../invocation.js';
import { exitCodeForSignal } from '../signals.js';
import { printable } from '../shared/terminalText.js';
import { HeadlessError, type PromptFor, type Reporter } from './output.js';

/** Thrown into a pending prompt when the machine moved on or the user interrupted. */
export const ABORTED = Symbol('aborted');

export interface DriverIO {
  out: Reporter;
  lines: LineSource;
  /** A person at a terminal answers (plain mode): stdin and stderr are terminals. */
  person: boolean;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderrIsTTY: boolean;
  /** Colours for the QR code (NO_COLOR off). */
  color: boolean;
  /** How often a long wait reports its elapsed time. */
  heartbeatMs: number;
  /** The machine's clock: heartbeats and elapsed times follow it (a simulated one in tests). */
  clock: RunClock;
  /** The language emoji names are shown in. */
  language: string;
}

type Snapshot = ReturnType<Actor<SetupMachine>['getSnapshot']>;

export class Driver {
  private readonly memory: AnswerMemory = {};
  private announcedNotice: SetupContext['notice'];
  private connected = false;

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

  async run(): Promise<number> {
    let previous: StepMeta | undefined;
    for (;;) {
      const snapshot = this.actor.getSnapshot();
      if (snapshot.status === 'error') throw snapshot.error;
      const step = stepOf(snapshot);
      this.announceNews(snapshot);
      if (!previous || !sameStep(previous, step)) this.announce(step, snapshot);
      previous = step;
      if (step.kind === 'end') return this.finish(step.step, snapshot, await this.ctx.keeper.flush());
      try {
        if (step.kind === 'ask' || step.kind === 'show') {
          const event = await answer(step.step, snapshot.context, this.answerIO(step), this.memory);
          // The machine may have moved on while the answer was being found (a poll, a timeout): drop it then.
          if (event && sameStep(stepOf(this.actor.getSnapshot()), step)) this.send(event, step);
        } else {
          await this.until(step, snapshot);
        }
      } catch (error) {
        if (error !== ABORTED) throw error;
      }
    }
  }

  /** A problem that ends the run, with its code and exit code from the one table (PROBLEM_ENDS). */
  fail(problem: Problem): HeadlessError {
    if (this.options.debug) {
      const details = [problem.call, problem.status && `status ${problem.status}`, problem.code, problem.reason].filter(Boolean).join(', ');
      if (details) this.out.debug(`${problem.kind}: ${details}`);
    }
    const end = PROBLEM_ENDS[problem.kind];
    if (end.code) {
      const text = explainProblem(problem, { baseUrl: this.ctx.baseUrl });
      return new HeadlessError(end.code, text.message, end.exitCode, end.hint ?? text.fix);
    }
    // The server refused an answer from a flag or a file: its words, which flag it was, and what a rerun needs.
    const message = problem.preset ? `${withAttemptsLeft(problem)} (from ${this.presetSource(problem.preset)})` : problem.message;
    return new HeadlessError(problem.code ?? problem.kind, message, end.exitCode, problem.preset ? this.presetFix(problem.preset) : undefined);
  }

  /** The flag, file or variable a refused answer came from. */
  private presetSource(answer: PresetAnswer): string {
    if (answer !== 'recovery-key') return `--${answer}`;
    const source = recoveryKeySource(this.options, this.io.env);
    return source ? describeKeySource(source) : 'the recovery key given';
  }

  /** What a rerun needs after a refused answer from a flag: only what would change the outcome. */
  private presetFix(answer: PresetAnswer): string {
    switch (answer) {
      case 'email':
        return 'Check the address and run again with the right --email.';
      case 'code':
        // The sign-in stays pending (saved), so the right code still finishes it.
        return this.options.saveToken
          ? 'Run the same command again with the right --code: it continues this sign-in.'
          : 'Run again without --code; beeper-setup mails a new code and asks for it.';
      case 'username':
        return this.options.saveToken
          ? 'Run the same command again with another --username: it continues this sign-in at the username, without a new code.'
          : 'Run again with another --username.';
      case 'recovery-key':
        return 'Check the key against your saved copy, or make a new one with --reset-recovery-key --new-recovery-key-file PATH.';
      case 'qr-file':
        return 'Run beeper-setup verify again, and scan the code the other device shows once it is accepted.';
    }
  }

  private answerIO(step: StepMeta): AnswerIO {
    return {
      options: this.options,
      env: this.io.env,
      language: this.io.language,
      person: this.io.person,
      say: (line) => this.out.say(line),
      reveal: (lines) => this.out.reveal(lines),
      emit: (event) => this.out.emit(event),
      canAsk: () => this.io.lines.canAsk(),
      ask: (what, message, missing, secret) => this.ask(what, message, missing, secret),
      until: (ready) => this.untilContext(step, ready),
      poll: (attempt, everyMs) => this.poll(step, attempt, everyMs),
      fail: (problem) => this.fail(problem),
    };
  }

  /** Asks for one line on stdin, saying first what is awaited; `missing` explains exit 3. */
  private async ask(what: PromptFor, message: string, missing: () => CliError, secret = false): Promise<string> {
    // Confirmations only count when typed after the question: a "yes" piped in ahead never confirms.
    // A person at the terminal answers what is asked, never with a line typed while waiting.
    const fresh = what === 'emoji-match' || what === 'scan-confirm' || this.io.person;
    if (!this.io.lines.canAsk()) throw missing();
    // In a terminal the answer is typed after the question, on its line; in a log, the question is a line.
    const sameLine = !!this.io.lines.terminal;
    if (!sameLine) this.out.say(message);
    this.out.emit({ event: 'prompt', for: what, message });
    const asking = stepOf(this.actor.getSnapshot());
    const controller = new AbortController();
    const subscription = this.actor.subscribe((snapshot) => {
      if (snapshot.status !== 'active' || !sameStep(stepOf(snapshot), asking)) controller.abort(ABORTED);
    });
    // --debug lines would land on the question's line: they wait until it is answered.
    const release = sameLine ? this.ctx.debugLog.hold() : undefined;
    try {
      const line = await this.io.lines.read({ secret, fresh, signal: controller.signal, ...(sameLine ? { prompt: printable(message) } : {}) });
      if (line === undefined) throw missing();
      return line;
    } finally {
      subscription.unsubscribe();
      release?.();
    }
  }

  /** Resolves when the context satisfies `ready`, or the machine leaves `step`. */
  private untilContext(step: StepMeta, ready: (context: SetupContext) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = (snapshot: Snapshot) => snapshot.status !== 'active' || !sameStep(stepOf(snapshot), step) || ready(snapshot.context);
      if (check(this.actor.getSnapshot())) return resolve();
      const subscription = this.actor.subscribe((snapshot) => {
        if (!check(snapshot)) return;
        subscription.unsubscribe();
        resolve();
      });
    });
  }

  /** Tries `attempt` every `everyMs` on the run's clock until it gives a value; ABORTED once the machine leaves `step`. */
  private poll<T>(step: StepMeta, attempt: () => Promise<T | undefined>, everyMs: number): Promise<T> {
    const { clock } = this.io;
    return new Promise((resolve, reject) => {
      let timer: unknown;
      let settled = false;
      const settle = (end: () => void) => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clock.clearTimeout(timer);
        subscription.unsubscribe();
        end();
      };
      const left = (snapshot: Snapshot) => snapshot.status !== 'active' || !sameStep(stepOf(snapshot), step);
      const subscription = this.actor.subscribe((snapshot) => {
        if (left(snapshot)) settle(() => reject(ABORTED));
      });
      const tryOnce = () =>
        void attempt().then(
          (value) => {
            if (value !== undefined) settle(() => resolve(value));
            else if (!settled) timer = clock.setTimeout(tryOnce, everyMs);
          },
          (error: unknown) => settle(() => reject(error)),
        );
      if (left(this.actor.getSnapshot())) settle(() => reject(ABORTED));
      else tryOnce();
    });
  }

  private send(event: SetupEvent, step: StepMeta): void {
    const before = this.actor.getSnapshot();
    this.actor.send(event);
    if (this.actor.getSnapshot() === before) throw new Error(`headless mode sent ${event.type} at "${step.step}" and the machine ignored it`);
  }

  /** What changed that a person should know: Beeper confirmed, notices, store repairs. */
  private announceNews(snapshot: Snapshot): void {
    const { context } = snapshot;
    // "Connected" only once the answer is known to be Beeper's.
    if (!this.connected && context.confirmedBeeper) {
      this.connected = true;
      const app = context.app?.app;
      this.out.say(app ? `Connected to ${app.name} ${app.version}.` : 'Connected to Beeper.');
      const via = this.ctx.tokenKey.startsWith('ssh://') ? { via: this.ctx.tokenKey } : {};
      this.out.emit({ event: 'connected', baseUrl: this.ctx.baseUrl, ...via, ...(app ? { app: app.name, version: app.version } : {}) });
    }
    if (context.notice !== this.announcedNotice) {
      this.announcedNotice = context.notice;
      const text = noticeText(context.notice, context, this.ctx.tokenSource);
      if (text && context.notice) {
        this.out.say(text);
        this.out.emit({ event: 'notice', code: context.notice, message: text });
      }
    }
  }

  private announce(step: StepMeta, snapshot: Snapshot): void {
    if (step.kind === 'end' || step.step === 'routing') return;
    this.out.emit({ event: 'step', step: step.step });
    if (step.kind !== 'wait') return;
    if (step.step === 'showing-qr') return this.showQr(snapshot.context.verification?.qr?.data);
    const text = waitText(step.step, snapshot.context, { baseUrl: this.ctx.baseUrl, via: this.ctx.tokenKey.startsWith('ssh://') ? this.ctx.tokenKey : undefined });
    this.out.say(`${text.title}…${text.detail ? ` ${text.detail}` : ''}`);
  }

  private showQr(data: string | undefined): void {
    if (!data) return;
    // The demo's phone plays along here too: it scans what was just shown.
    const demo = this.ctx.demo;
    if (demo) this.io.clock.setTimeout(() => void demo.scanQr().catch(() => {}), demo.scanDelayMs);
    // The payload's bytes (base64 or raw), drawn dark on light whatever the terminal's theme.
    if (this.io.stderrIsTTY) this.out.art(drawQr(data, { color: this.io.color }));
    if (this.io.stderrIsTTY && !this.io.color) this.out.say('(The QR code assumes light text on a dark background.)');
    const other = otherDevice(this.actor.getSnapshot().context.verification);
    this.out.say(`Scan this QR code with Beeper on ${other}.`);
    // Without a terminal there is no picture: the payload (as the server sent it) lets another tool draw it.
    this.out.say(`QR payload: ${data}${qrPayloadBytes(data).length !== data.length ? ' (base64)' : ''}`);
    this.out.emit({ event: 'qr', data });
  }

  /** Resolves when the machine leaves a wait; long waits report their elapsed time, at most every heartbeat. */
  private until(step: StepMeta, snapshot: Snapshot): Promise<void> {
    const { clock } = this.io;
    const started = clock.now();
    const state = () => this.actor.getSnapshot().context.session?.state;
    let stallSaid = false;
    const beat = () => {
      if (!step.waitsFor) return;
      const elapsedMs = clock.now() - started;
      const stall = stallText(step.step, this.actor.getSnapshot().context, 'headless');
      this.out.emit({
        event: 'waiting',
        for: step.waitsFor,
        elapsedMs,
        ...(step.waitsFor === 'server' ? { state: state() ?? 'unknown' } : {}),
        ...(stall ? { stalled: stall } : {}),
      });
      // Rounded: a beat due at 15 s that fires at 14.99 s says 15s.
      if (elapsedMs >= 1000) this.out.say(`Still waiting (${formatElapsed(Math.round(elapsedMs / 1000) * 1000)})…`);
    };
    beat();
    const choices = this.offerOtherWays(step);
    return new Promise((resolve, reject) => {
      let failures = snapshot.context.pollFailures;
      let timer: unknown;
      const schedule = () => {
        if (step.waitsFor) timer = clock.setTimeout(tick, this.io.heartbeatMs);
      };
      const tick = () => {
        beat();
        schedule();
      };
      schedule();
      const subscription = this.actor.subscribe({
        next: (next) => {
          if (failures === 0 && next.context.pollFailures > 0 && next.context.problem) {
            this.out.say(`${next.context.problem.message} Retrying…`);
          }
          failures = next.context.pollFailures;
          const stall = !stallSaid ? stallText(step.step, next.context, 'headless') : undefined;
          if (stall) {
            stallSaid = true;
            this.out.say(stall);
          }
          if (next.status !== 'active' || !sameStep(stepOf(next), step)) done();
        },
        error: (error) => done(error),
      });
      function done(error?: unknown) {
        if (timer !== undefined) clock.clearTimeout(timer);
        choices?.abort(ABORTED);
        subscription.unsubscribe();
        if (error) reject(error);
        else resolve();
      }
    });
  }

  /**
   * A person waiting on the other device may go another way, as the wizard's keys allow: a line
   * (e, r or b, then Enter) is read while the wait lasts. Returns what stops the reading.
   */
  private offerOtherWays(step: StepMeta): AbortController | undefined {
    if (!this.io.person || (step.waitsFor !== 'other-device' && step.waitsFor !== 'other-device-confirm')) return undefined;
    const ways = (
      [
        ['e', 'compare emojis instead', { type: 'SHOW_EMOJI' }],
        ['r', 'use your recovery key', { type: 'USE_RECOVERY_KEY' }],
        ['b', 'go back to the other choices', { type: 'BACK' }],
      ] as const
    ).filter(([, , event]) => this.actor.getSnapshot().can(event));
    if (ways.length === 0) return undefined;
    const words = ways.map(([key, label]) => `${key} to ${label}`);
    this.out.say(`Meanwhile, type ${words.slice(0, -1).join(', ')}${words.length > 1 ? ' or ' : ''}${words.at(-1)}, then Enter.`);
    const controller = new AbortController();
    const read = async (): Promise<void> => {
      const line = await this.io.lines.read({ signal: controller.signal });
      if (line === undefined) return;
      const way = ways.find(([key]) => line.trim().toLowerCase() === key);
      if (way && this.actor.getSnapshot().can(way[2])) return void this.actor.send(way[2]);
      this.out.say(`Type ${ways.map(([key]) => key).join(', ')} and Enter, or keep waiting.`);
      return read();
    };
    // Aborted when the wait ends; a closed stdin just ends the offer.
    read().catch(() => {});
    return controller;
  }

  private finish(end: EndStep, snapshot: Snapshot, kept: KeeperReport): number {
    const { context } = snapshot;
    switch (end) {
      case 'ready': {
        this.out.say(readyLine(context.session));
        if (this.options.verify === 'reset' && !this.memory.keySaved) {
          this.out.say('This device was already set up, so no new recovery key was made: the account keeps its current key.');
        }
        // The demo keeps nothing: its simulated Beeper ends with this run.
        if (this.ctx.demo) this.out.say(SIMULATION_ENDS);
        else this.reportToken(kept);
        // `ready` is the last event of a run that succeeded.
        const matrix = context.session?.matrix;
        this.out.emit({ event: 'ready', userID: matrix?.userID ?? '', deviceID: matrix?.deviceID ?? '', homeserver: matrix?.homeserver ?? '' });
        printToken(this.options, context, this.io.stdout);
        return ExitCode.Ready;
      }
      case 'verified': {
        this.out.say(`${verifiedText(context.verification).title}.`);
        this.out.emit({ event: 'verified', otherDevice: otherDeviceName(context.verification), userID: context.verification?.otherUserID ?? context.session?.matrix?.userID ?? '' });
        return ExitCode.Ready;
      }
      case 'interrupted': {
        // A hang-up (SIGHUP) ends with 129 and is said as such; Ctrl-C and SIGTERM with 130.
        const signal = this.ctx.stops.received;
        const exitCode = signal ? exitCodeForSignal(signal) : ExitCode.Interrupted;
        const { invocation } = this.ctx;
        this.out.say(stoppedLine(context, { again: commandLine(invocation), demoAgain: this.ctx.demo ? commandLine(invocation, '--demo') : undefined, baseUrl: this.ctx.baseUrl }));
        this.out.emit({ event: 'error', code: 'interrupted', message: stoppedBy(signal), exitCode });
        return exitCode;
      }
      case 'timed-out': {
        const text = timedOutText(context);
        throw new HeadlessError('timeout', text.message, ExitCode.NotReady, text.fix);
      }
    }
  }

  /** The truth about the token: where it is, its mode, what was repaired, or why it is not saved. */
  private reportToken(kept: KeeperReport): void {
    const report = describeToken(kept, { tokenSource: this.ctx.tokenSource, saveToken: this.options.saveToken });
    for (const line of report.lines) this.out.say(line);
    if (report.saved) this.out.emit({ event: 'token-saved', path: report.saved.path, mode: '0600', repaired: report.saved.repaired });
  }
}

