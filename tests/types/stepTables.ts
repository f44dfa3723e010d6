/**
 * A step added without its screen, its headless answer or its wait text fails `npm run typecheck`:
 * each table is keyed by the step names of its kind, derived from machines/steps.ts (STEPS). This
 * file is checked by the typecheck, not run; every `@ts-expect-error` below must meet an error, or
 * the typecheck fails too. To see it for real: add `'new-step': 'ask'` (or `'wait'`) to STEPS and
 * run `npm run typecheck` — components/StepView.tsx, src/headless/answers.ts (an ask or show step)
 * and src/wording/states.ts (a wait step) each name the missing entry.
 */
import { SCREENS } from '../../components/StepView.js';
import type { AskStep, ShowStep, StepName, WaitStep } from '../../machines/steps.js';
import { ANSWERS } from '../../src/headless/answers.js';
import { WAIT_TEXTS } from '../../src/wording/states.js';

/** The tables cover their kinds today. */
export const screens: Record<StepName, unknown> = SCREENS;
export const answers: Record<AskStep | ShowStep, unknown> = ANSWERS;
export const waitTexts: Record<WaitStep, unknown> = WAIT_TEXTS;

/** A name that joins a kind: the tables as they stand no longer cover it. */
type New = 'a-step-added-later';

// @ts-expect-error the wizard has no screen for a new step
export const newScreen: Record<StepName | New, unknown> = SCREENS;
// @ts-expect-error headless has no answer for a new ask (or show) step
export const newAnswer: Record<AskStep | ShowStep | New, unknown> = ANSWERS;
// @ts-expect-error there are no words for a new wait step
export const newWait: Record<WaitStep | New, unknown> = WAIT_TEXTS;

/** A table that leaves out a step of its kind is refused where it is declared. */
const { email: _email, ...answersWithoutEmail } = ANSWERS;
// @ts-expect-error the email step has no answer
export const missingAnswer: typeof ANSWERS = answersWithoutEmail;
const { 'checking-code': _checking, ...waitTextsWithoutOne } = WAIT_TEXTS;
// @ts-expect-error "checking-code" has no words
export const missingWaitText: typeof WAIT_TEXTS = waitTextsWithoutOne;
const { username: _username, ...screensWithoutOne } = SCREENS;
// @ts-expect-error the username step has no screen
export const missingScreen: typeof SCREENS = screensWithoutOne;
