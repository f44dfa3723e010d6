/**
 * What each state means to the front ends, declared once as the state's `meta`:
 * the step's stable name (the `--json` step name, the screen the wizard shows),
 * whether it asks a person, waits, or shows an outcome, and the phase the
 * header counts. The wizard, headless mode and `--json` read it from the
 * snapshot; nothing else maps state paths to meanings.
 */

/** `ask`: a person answers. `wait`: the server or another device acts. `show`: an outcome with choices. `end`: final. */
export type StepKind = 'ask' | 'wait' | 'show' | 'end';

export const PHASES = ['connect', 'sign-in', 'encryption', 'finish'] as const;
export type Phase = (typeof PHASES)[number];

/** What a long wait is waiting for; such waits report their elapsed time. */
export type WaitsFor = 'server' | 'other-device' | 'other-device-confirm';

/**
 * Every step, with its kind: the one list the front ends are checked against. Tables keyed by
 * the names of one kind (the wizard's screens, headless answers, wait texts) are `Record`s over
 * these unions, so a step added here without its screen, its answer or its wait text fails the
 * typecheck (tests/types/stepTables.ts shows it).
 */
export const STEPS = {
  // connect
  connecting: 'wait',
  reconnecting: 'wait',
  routing: 'wait',
  // sign-in
  'starting-sign-in': 'wait',
  email: 'ask',
  'sending-code': 'wait',
  code: 'ask',
  'checking-code': 'wait',
  username: 'ask',
  terms: 'ask',
  registering: 'wait',
  // encryption
  'choose-method': 'ask',
  'recovery-key': 'ask',
  'verifying-recovery-key': 'wait',
  'reset-warning': 'ask',
  'create-recovery-key': 'ask',
  'creating-recovery-key': 'wait',
  'creation-failed': 'show',
  'save-recovery-key': 'ask',
  'confirming-recovery-key': 'wait',
  'starting-verification': 'wait',
  'waiting-other-device': 'wait',
  'showing-qr': 'wait',
  'offer-emoji': 'ask',
  'starting-sas': 'wait',
  'compare-emojis': 'ask',
  'confirming-sas': 'wait',
  'waiting-other-confirm': 'wait',
  'confirm-scan': 'ask',
  'confirming-scan': 'wait',
  rejecting: 'wait',
  cancelling: 'wait',
  'verification-failed': 'show',
  'verification-not-applied': 'show',
  // vouching for another device (beeper-setup verify)
  'awaiting-request': 'ask',
  'qr-payload': 'ask',
  'submitting-qr': 'wait',
  // finish
  'waiting-server': 'wait',
  failed: 'show',
  ready: 'end',
  verified: 'end',
  'timed-out': 'end',
  interrupted: 'end',
} as const satisfies Record<string, StepKind>;

export type StepName = keyof typeof STEPS;
/** The names of the steps of one kind. */
export type StepOfKind<K extends StepKind> = { [S in StepName]: (typeof STEPS)[S] extends K ? S : never }[StepName];
export type AskStep = StepOfKind<'ask'>;
export type WaitStep = StepOfKind<'wait'>;
export type ShowStep = StepOfKind<'show'>;
export type EndStep = StepOfKind<'end'>;

/** In flow order. */
export const STEP_NAMES = Object.keys(STEPS) as StepName[];

interface MetaOf<K extends StepKind> {
  step: StepOfKind<K>;
  kind: K;
  phase: Phase;
  /** Only a wait says what it waits for. */
  waitsFor?: K extends 'wait' ? WaitsFor : never;
}

/** A step's meaning; its `kind` narrows the names `step` can be. */
export type StepMeta = MetaOf<'ask'> | MetaOf<'show'> | MetaOf<'end'> | MetaOf<'wait'>;

export const ask = (step: AskStep, phase: Phase): { meta: StepMeta } => ({ meta: { step, kind: 'ask', phase } });
export const show = (step: ShowStep, phase: Phase): { meta: StepMeta } => ({ meta: { step, kind: 'show', phase } });
export const end = (step: EndStep, phase: Phase): { meta: StepMeta } => ({ meta: { step, kind: 'end', phase } });
export const wait = (step: WaitStep, phase: Phase, waitsFor?: WaitsFor): { meta: StepMeta } => ({
  meta: { step, kind: 'wait', phase, ...(waitsFor ? { waitsFor } : {}) },
});

/** Anything with XState's `getMeta()`: a snapshot of the setup machine. */
interface HasMeta {
  getMeta(): Record<string, unknown>;
}

const ROUTING: StepMeta = { step: 'routing', kind: 'wait', phase: 'connect' };

/**
 * The step a snapshot is at: the meta of its deepest active state that has one
 * (a parallel state's polling region declares none, so its step region wins).
 */
export function stepOf(snapshot: HasMeta): StepMeta {
  let best: { depth: number; meta: StepMeta } | undefined;
  for (const [id, meta] of Object.entries(snapshot.getMeta())) {
    if (!isStepMeta(meta)) continue;
    const depth = id.split('.').length;
    if (!best || depth > best.depth) best = { depth, meta };
  }
  return best?.meta ?? ROUTING;
}

export function isStepMeta(value: unknown): value is StepMeta {
  return !!value && typeof value === 'object' && typeof (value as StepMeta).step === 'string' && typeof (value as StepMeta).kind === 'string';
}

export const sameStep = (a: StepMeta, b: StepMeta) => a.step === b.step && a.kind === b.kind;
