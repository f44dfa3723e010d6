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

export const STEP_NAMES = [
  // connect
  'connecting',
  'reconnecting',
  'routing',
  // sign-in
  'starting-sign-in',
  'email',
  'sending-code',
  'code',
  'checking-code',
  'username',
  'terms',
  'registering',
  // encryption
  'choose-method',
  'recovery-key',
  'verifying-recovery-key',
  'reset-warning',
  'create-recovery-key',
  'creating-recovery-key',
  'creation-failed',
  'save-recovery-key',
  'confirming-recovery-key',
  'starting-verification',
  'waiting-other-device',
  'showing-qr',
  'offer-emoji',
  'starting-sas',
  'compare-emojis',
  'confirming-sas',
  'waiting-other-confirm',
  'confirm-scan',
  'confirming-scan',
  'rejecting',
  'cancelling',
  'verification-failed',
  'verification-not-applied',
  // vouching for another device (beeper-setup verify)
  'awaiting-request',
  'submitting-qr',
  // finish
  'waiting-server',
  'failed',
  'ready',
  'verified',
  'timed-out',
  'interrupted',
] as const;
export type StepName = (typeof STEP_NAMES)[number];

export interface StepMeta {
  step: StepName;
  kind: StepKind;
  phase: Phase;
  waitsFor?: WaitsFor;
}

export const ask = (step: StepName, phase: Phase): { meta: StepMeta } => ({ meta: { step, kind: 'ask', phase } });
export const show = (step: StepName, phase: Phase): { meta: StepMeta } => ({ meta: { step, kind: 'show', phase } });
export const end = (step: StepName, phase: Phase): { meta: StepMeta } => ({ meta: { step, kind: 'end', phase } });
export const wait = (step: StepName, phase: Phase, waitsFor?: WaitsFor): { meta: StepMeta } => ({
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
