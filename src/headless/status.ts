/**
 * `beeper-setup status [--json]`: what the app reports, changing nothing.
 * Exit 0 when ready, 4 when not (yet), 5 when nothing answers.
 * `beeper-setup logout`: forgets the saved access token for the address.
 */
import type { ProblemKind } from '../../machines/problems.js';
import { isFinished } from '../../machines/routing.js';
import { HttpError, UnreachableError } from '../api/errors.js';
import type { AppInfo, Session } from '../api/types.js';
import type { CliOptions } from '../args.js';
import { ExitCode } from '../exitCodes.js';
import type { ProgramIO } from '../io.js';
import type { RunContext, RunPlan } from '../runtime.js';
import { forgetToken, TokenStoreError } from '../tokenStore.js';
import { explainProblem, PROBLEM_ENDS } from '../wording/problems.js';
import { describeSessionState, deviceNameOf } from '../wording/states.js';
import { printable } from '../shared/terminalText.js';
import { explainNotBeeper, explainUnreachable } from '../wording/unreachable.js';
import { createReporter, HeadlessError, type Reporter } from './output.js';

/**
 * The report of `status` and `logout` is their output: stdout, so `beeper-setup status | grep ready`
 * works. With --json, stdout carries only events and the words go to stderr.
 */
function createCommandReporter(options: CliOptions, io: Pick<ProgramIO, 'stdout' | 'stderr'>): Reporter {
  const reporter = createReporter({ json: options.json, debug: options.debug, stdout: io.stdout, stderr: io.stderr });
  if (options.json) return reporter;
  return { ...reporter, say: (line) => void io.stdout.write(`${printable(line)}\n`) };
}

export async function runStatus(ctx: RunContext): Promise<number> {
  const out = createCommandReporter(ctx.options, ctx.io);
  // What the token store put right while loading: said on stderr, beside the report, not in it.
  for (const note of ctx.storeNotes) ctx.io.stderr.write(`${printable(note)}\n`);
  try {
    return await report(ctx, out);
  } catch (error) {
    if (error instanceof HeadlessError) {
      out.emit({ event: 'error', code: error.eventCode, message: error.message, exitCode: error.exitCode });
      error.reported = true;
    }
    throw error;
  }
}

async function report(ctx: RunContext, out: Reporter): Promise<number> {
  const token = ctx.accessToken?.reveal();
  const [info, result] = await Promise.all([
    ctx.client.info({ retries: 0 }).catch(() => undefined),
    ctx.client.getSession({ accessToken: token, retries: 1 }).then(
      (session) => ({ session }),
      (error: unknown) => ({ error }),
    ),
  ]);
  if ('error' in result) {
    const { error } = result;
    if (error instanceof UnreachableError) {
      const words = explainUnreachable(error.baseUrl, error.reason);
      throw ended('unreachable', words.message, words.fix);
    }
    if (error instanceof HttpError && error.status === 401) {
      // Signed in, but we hold no token for it (or a stale one): the state is not ours to see.
      const token = !ctx.accessToken ? 'missing' : 'refused';
      const why = !ctx.accessToken
        ? 'the app is signed in, and beeper-setup has no access token for it'
        : ctx.tokenSource === 'env'
          ? 'BEEPER_ACCESS_TOKEN was refused'
          : 'the saved access token was refused';
      out.emit({ event: 'status', state: null, ready: false, token, baseUrl: ctx.baseUrl, ...appFields(info) });
      out.say(`${describeApp(info, ctx.baseUrl)}: ${why}. Run beeper-setup to sign in (again).`);
      return ExitCode.NotReady;
    }
    if (error instanceof HttpError && !info) {
      const words = explainNotBeeper(ctx.baseUrl);
      throw ended('not-beeper', words.message, words.fix);
    }
    if (error instanceof HttpError && error.status === 404) {
      // The words the setup says for the same answer.
      const words = explainProblem({ kind: 'unsupported-build', message: error.message, status: 404 }, { baseUrl: ctx.baseUrl });
      throw ended('unsupported-build', words.message, words.fix);
    }
    throw new HeadlessError('error', error instanceof Error ? error.message : String(error), ExitCode.Error);
  }
  const { session } = result;
  const ready = session.state === 'ready';
  out.emit({
    event: 'status',
    state: session.state,
    ready,
    baseUrl: ctx.baseUrl,
    ...appFields(info),
    userID: session.matrix?.userID ?? null,
    deviceID: session.matrix?.deviceID ?? null,
    homeserver: session.matrix?.homeserver ?? null,
    verification: session.verification
      ? {
          id: session.verification.id,
          state: session.verification.state,
          direction: session.verification.direction,
          otherDevice: session.verification.otherDevice?.name ?? session.verification.otherDevice?.id ?? null,
        }
      : null,
    tokenSource: ctx.tokenSource ?? null,
  });
  for (const line of describe(session, info, ctx)) out.say(line);
  return ready ? ExitCode.Ready : ExitCode.NotReady;
}

/** A problem that ends `status`, coded as it ends any run (PROBLEM_ENDS). */
function ended(kind: ProblemKind, message: string, hint?: string): HeadlessError {
  const end = PROBLEM_ENDS[kind];
  return new HeadlessError(end.code ?? kind, message, end.exitCode, hint);
}

function describe(session: Session, info: AppInfo | undefined, ctx: RunContext): string[] {
  const words = describeSessionState(session.state);
  const lines = [`${describeApp(info, ctx.baseUrl)}: ${words}${words === session.state ? '' : ` (${session.state})`}`];
  if (session.matrix) lines.push(`  account: ${session.matrix.userID} on ${session.matrix.homeserver}`, `  device:  ${session.matrix.deviceID}`);
  const v = session.verification;
  if (v && !isFinished(v)) {
    lines.push(`  verification in progress: ${v.state}, ${v.direction}, with ${deviceNameOf(v) ?? 'another device'}`);
  }
  if (session.state === 'needs-login' && ctx.accessToken) lines.push('  (an access token is saved, but the app is signed out)');
  if (session.state !== 'ready') lines.push('Run beeper-setup to continue the setup.');
  return lines;
}

function describeApp(info: AppInfo | undefined, baseUrl: string): string {
  return info ? `${info.app.name} ${info.app.version} at ${baseUrl}` : `Beeper at ${baseUrl}`;
}

const appFields = (info: AppInfo | undefined) => (info ? { app: info.app.name, version: info.app.version } : {});

/** Forgets the token saved under the plan's key: the base URL, or ssh://[user@]host:port with --ssh. Opens nothing. */
export async function runLogout(plan: Pick<RunPlan, 'options' | 'io' | 'tokenKey'>): Promise<number> {
  const { options, io, tokenKey: key } = plan;
  const { env } = io;
  const out = createCommandReporter(options, io);
  let forgotten: boolean;
  try {
    forgotten = await forgetToken(key, env);
  } catch (error) {
    if (error instanceof TokenStoreError) throw new HeadlessError('error', error.message, ExitCode.Error);
    throw error;
  }
  out.emit({ event: 'logout', key, forgotten });
  out.say(
    forgotten
      ? `Forgot the access token saved for ${key}. The app itself stays signed in; sign it out in Beeper if needed.`
      : `No access token was saved for ${key}; nothing to forget.`,
  );
  if (env.BEEPER_ACCESS_TOKEN) out.say('Note: BEEPER_ACCESS_TOKEN is set in the environment; beeper-setup uses it regardless.');
  return ExitCode.Ready;
}
