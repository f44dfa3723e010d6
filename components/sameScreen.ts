/**
 * Whether two machine snapshots draw the same screen. Polling moves the machine every
 * second (idle → checking → idle, a fresh but equal copy of the session): redrawing the
 * whole wizard for that costs CPU and terminal traffic while nothing on screen changes.
 * The screen depends on the step the state declares, the context, and which user events
 * the step takes; polling states declare no step and take no user events
 * (tests/machine/meta.test.ts holds them to that), so step and context decide.
 */
import { stepOf } from '../machines/steps.js';
import type { SetupSnapshot } from './StepView.js';

export function sameScreen(a: SetupSnapshot, b: SetupSnapshot): boolean {
  if (a === b) return true;
  if (a.status !== b.status) return false;
  const stepA = stepOf(a);
  const stepB = stepOf(b);
  return stepA.step === stepB.step && stepA.kind === stepB.kind && stepA.waitsFor === stepB.waitsFor && sameData(a.context, b.context);
}

/** Deep equality for plain data (objects, arrays, primitives); anything else (a Secret, the API client) by identity. */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameData(item, b[i]));
  }
  if (!isPlain(a) || !isPlain(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => Object.hasOwn(b, key) && sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
