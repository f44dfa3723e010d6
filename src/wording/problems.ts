/**
 * Every Problem the machine can hold (machines/problems.ts), in words a person
 * understands: what happened, what fixes it, and whether trying again makes
 * sense. The wizard and headless mode both word problems here. No stack
 * traces; --debug adds the call, status and server code. One exception: a
 * failure with no words of Beeper's own (a proxy's HTML page) names the call
 * that failed, since nothing else says what broke.
 */
import type { Problem, ProblemKind } from '../../machines/problems.js';
import { ExitCode } from '../exitCodes.js';
import { firstSentence, type Where } from './states.js';
import { explainNotBeeper, explainUnreachable } from './unreachable.js';

export interface Explanation {
  title: string;
  /** What happened. */
  message: string;
  /** What to do about it. */
  fix?: string;
  /** Whether RETRY is worth offering. */
  retry: boolean;
}

const UPDATE = 'Update beeper-setup (npx beeper-setup@latest) and Beeper to their latest versions.';

export function explainProblem(problem: Problem, where: Where): Explanation {
  switch (problem.kind) {
    case 'unreachable': {
      const url = problem.baseUrl ?? where.baseUrl;
      if (problem.reason === 'tunnel-closed') {
        // The message names the tunnel, the host and how ssh ended (src/ssh.ts); retrying here would find no tunnel.
        return { title: 'The ssh tunnel closed', message: problem.message, fix: 'Nothing was cancelled on the server: run the same command again to resume.', retry: false };
      }
      return { ...explainUnreachable(url, problem.reason), retry: true };
    }
    case 'not-beeper':
      return { ...explainNotBeeper(where.baseUrl), retry: true };
    case 'unsupported-build':
      return {
        title: 'This Beeper build has no terminal setup',
        message: `The Beeper app at ${where.baseUrl} answers, but it cannot be set up from a terminal.`,
        fix: 'Update Beeper to the latest version, then try again.',
        retry: true,
      };
    case 'rejected':
      return {
        title: 'Beeper did not accept that',
        message: problem.message || 'The request was refused.',
        fix: problem.preset ? 'Check the value you passed and run again.' : 'Check what you entered and try again.',
        retry: true,
      };
    case 'unauthorized':
      return {
        title: 'Your sign-in is no longer valid',
        message: problem.message || 'Beeper did not accept the saved sign-in.',
        fix: 'Sign in again with your email.',
        retry: true,
      };
    case 'sign-in-expired':
      return {
        title: 'This sign-in expired',
        // The server's reason; its advice ("start over") is the fix below, said once.
        message: problem.message ? `${firstSentence(problem.message)}.` : 'The sign-in request is no longer valid.',
        fix: 'Start again with your email to get a new code.',
        retry: true,
      };
    case 'server':
      return {
        title: 'Beeper ran into a problem',
        message: serverMessage(problem),
        fix: 'Wait a moment and try again. If it keeps happening, restart Beeper.',
        retry: true,
      };
    case 'invalid-response':
      return {
        title: 'Beeper answered something unexpected',
        message: 'Its answer did not match what this version of beeper-setup understands.',
        fix: `${UPDATE} --debug shows the details.`,
        retry: true,
      };
    case 'insecure':
      return {
        title: 'Refused to send a secret in clear text',
        message: 'The address is plain HTTP on another machine, so the sign-in code, the recovery key and the access token would cross the network readable by anyone on the way.',
        fix: 'Use --ssh to reach a remote Beeper Server through an encrypted tunnel, or an https:// address; --allow-insecure-http accepts the risk.',
        retry: false,
      };
    case 'too-many-attempts':
      return {
        title: 'Too many wrong recovery keys',
        message: `${problem.message} Recovery keys are case-sensitive: EsTc is not estc.`,
        fix: 'Check your saved key and try again, or make a new key if it is lost.',
        retry: true,
      };
    case 'verification-keeps-ending':
      return {
        title: 'The verification keeps ending',
        message: problem.message,
        fix: 'Open Beeper on your other device and try again there, or use your recovery key.',
        retry: true,
      };
    case 'not-set-up':
      return {
        title: 'This app is not set up yet',
        message: `${problem.message} Only a device that is set up can verify another one.`,
        fix: 'Run beeper-setup first; then beeper-setup verify.',
        retry: false,
      };
    case 'already-signed-in':
      return {
        title: 'This Beeper is signed in already',
        message: `Beeper at ${where.baseUrl} is signed in already${problem.message ? ` (it says: "${firstSentence(problem.message)}")` : ''}, and beeper-setup has no access token for it.`,
        fix: "beeper-setup cannot sign an app out. To use another account, sign out in Beeper's own settings, then run beeper-setup again. To carry on with this sign-in, pass its access token in BEEPER_ACCESS_TOKEN; beeper-setup status shows where the app stands.",
        retry: true,
      };
    // The machine's own sentences (src/wording/newKey.ts), naming the key's file.
    case 'key-not-activated':
      return { title: 'The new recovery key is not active yet', message: problem.message, fix: 'Confirm it again.', retry: true };
    case 'key-outcome-unknown':
      return {
        title: 'Not known whether the new recovery key is active',
        message: problem.message,
        fix: 'Run beeper-setup again once Beeper answers: it says where things stand.',
        retry: true,
      };
    case 'unexpected':
    default:
      return {
        title: 'Something went wrong in beeper-setup',
        message: 'This is a bug in beeper-setup, not something you did.',
        fix: 'Try again; run with --debug to see the details for a bug report.',
        retry: true,
      };
  }
}

/** A 5xx in words: the server's message when it sent one; a proxy's HTML says only its status. */
function serverMessage(problem: Problem): string {
  const status = problem.status ? ` (${problem.status} ${problem.message})` : '';
  if (problem.code) return `Beeper said: ${problem.message}`;
  return `Beeper${problem.status === 502 || problem.status === 504 ? ', or a proxy in front of it,' : ''} failed to answer${problem.call ? ` ${problem.call}` : ''}${status}.`;
}

/**
 * A problem shown inside a step (under a field): the server's own words when
 * it refused what was entered, else what happened and what fixes it — never a
 * bare "Simulated failure (HTTP 503)" next to a field that looks fine.
 */
export function inlineProblem(problem: Problem, where: Where): Problem {
  if (problem.kind === 'rejected' || problem.kind === 'unauthorized' || problem.kind === 'sign-in-expired') return problem;
  const text = explainProblem(problem, where);
  return { ...problem, message: [text.message, text.fix].filter(Boolean).join(' ') };
}

/**
 * How each problem ends a run without the wizard: the NDJSON `error` code and the exit code
 * (README's "error codes" table), and where a flag is the way on, headless mode's own fix. A kind
 * with a `code` is said in the words above; one without keeps the problem's own message (the
 * server's words for a refused answer, the machine's sentence) and is coded by the server's code
 * when it sent one, else by its kind.
 */
export const PROBLEM_ENDS: Record<ProblemKind, { code?: string; exitCode: ExitCode; hint?: string }> = {
  unreachable: { code: 'unreachable', exitCode: ExitCode.Unreachable },
  'not-beeper': { code: 'not-beeper', exitCode: ExitCode.Unreachable },
  'key-outcome-unknown': { code: 'key-outcome-unknown', exitCode: ExitCode.Unreachable },
  'unsupported-build': { code: 'unsupported-build', exitCode: ExitCode.Error },
  server: { code: 'server', exitCode: ExitCode.Error },
  'invalid-response': { code: 'invalid-response', exitCode: ExitCode.Error },
  insecure: { code: 'insecure', exitCode: ExitCode.Error },
  'not-set-up': { code: 'not-set-up', exitCode: ExitCode.Error },
  'already-signed-in': { code: 'already-signed-in', exitCode: ExitCode.Error },
  'too-many-attempts': {
    code: 'wrong-recovery-key',
    exitCode: ExitCode.Error,
    hint: 'Check the saved key, or make a new one with --reset-recovery-key --new-recovery-key-file PATH.',
  },
  'verification-keeps-ending': { code: 'verification-failed', exitCode: ExitCode.Error, hint: 'Run again, or use --recovery-key-file PATH.' },
  rejected: { exitCode: ExitCode.Error },
  unauthorized: { exitCode: ExitCode.Error },
  'sign-in-expired': { exitCode: ExitCode.Error },
  'key-not-activated': { exitCode: ExitCode.Error },
  unexpected: { exitCode: ExitCode.Error },
};

/** A step reached without the data it shows (a bug): what --debug says about it. */
export function missingStepData(step: string, what: string): Problem {
  return { kind: 'unexpected', message: `The step "${step}" was reached without ${what} it shows.` };
}

/** The details --debug adds: call, status, server code, raw message. */
export function problemDetails(problem: Problem): string[] {
  return [
    problem.call ? `call: ${problem.call}` : undefined,
    problem.status !== undefined ? `status: ${problem.status}` : undefined,
    problem.code ? `code: ${problem.code}` : undefined,
    problem.reason ? `reason: ${problem.reason}` : undefined,
    problem.message ? `message: ${problem.message}` : undefined,
  ].filter((line): line is string => line !== undefined);
}

/** A refused answer (a code, a recovery key), with the attempts left when the message does not say them itself. */
export function withAttemptsLeft(problem: Problem, fallback = 'That was not accepted.'): string {
  const message = problem.message || fallback;
  if (problem.attemptsLeft === undefined || /attempt/i.test(message)) return message;
  return `${message} ${attemptsLeftText(problem.attemptsLeft)}`;
}

/** "2 attempts left." */
export const attemptsLeftText = (n: number): string => `${n} ${n === 1 ? 'attempt' : 'attempts'} left.`;
