/**
 * Every state says what it means to the front ends, once, in its meta
 * (machines/steps.ts): the wizard's screen, the headless step, the --json step
 * name and the header's phase are all read from it. A state without one, or a
 * step name no state declares, fails here; a step without a screen fails the
 * build (components/StepView.tsx keys its table by StepName).
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { setupMachine } from '../../machines/setupMachine.js';
import { isStepMeta, PHASES, STEP_NAMES, stepOf, type StepMeta } from '../../machines/steps.js';
import { Secret } from '../../src/shared/secret.js';
import { atChooseMethod, atComparingEmojis } from './flows.js';

const nodes = getStateNodes(setupMachine.root).filter((node) => node !== setupMachine.root);

/** The meta a state shows: its own, else the nearest ancestor's. */
function declared(node: AnyStateNode): StepMeta | undefined {
  for (let at: AnyStateNode | undefined = node; at; at = at.parent) if (isStepMeta(at.meta)) return at.meta;
  return undefined;
}

describe('every state declares its step', () => {
  it.each(nodes.filter((node) => node.type === 'atomic' || node.type === 'final').map((node) => [node.id, node] as const))('%s', (_id, node) => {
    const meta = declared(node);
    expect(meta, `${node.id} has no step meta on itself or an ancestor`).toBeDefined();
    expect(STEP_NAMES).toContain(meta!.step);
    expect(['ask', 'wait', 'show', 'end']).toContain(meta!.kind);
    expect(PHASES).toContain(meta!.phase);
    if (node.type === 'final') expect(meta!.kind).toBe('end');
  });

  it('every step name is declared by some state', () => {
    const used = new Set(nodes.map((node) => (isStepMeta(node.meta) ? node.meta.step : undefined)));
    expect(STEP_NAMES.filter((name) => !used.has(name))).toEqual([]);
  });

  it('a parallel state shows the step of its step region, not of its polling region', async () => {
    const flow = await atComparingEmojis();
    expect(flow.state()).toContain('poll.');
    expect(stepOf(flow.actor.getSnapshot())).toEqual({ step: 'compare-emojis', kind: 'ask', phase: 'encryption' });
  });

  it('waits say what they wait for', async () => {
    const flow = await atChooseMethod({ accessToken: new Secret('t') });
    expect(flow.step()).toEqual({ step: 'choose-method', kind: 'ask', phase: 'encryption' });
    const waits = nodes.map((node) => node.meta).filter((meta): meta is StepMeta => isStepMeta(meta) && meta.kind === 'wait');
    for (const step of ['waiting-other-device', 'showing-qr', 'waiting-other-confirm', 'waiting-server', 'reconnecting'] as const) {
      expect(waits.find((meta) => meta.step === step)?.waitsFor, step).toBeDefined();
    }
  });
});

describe('polling is invisible to the front ends', () => {
  /** The idle/checking pair of every poll loop (idle waits `pollDelay`, checking asks the server). */
  const pollNodes = nodes.filter((node) => {
    const siblings = node.parent?.states ?? {};
    return (node.key === 'idle' || node.key === 'checking') && 'idle' in siblings && 'checking' in siblings && 'pollDelay' in (siblings.idle!.config.after ?? {});
  });

  it('finds the poll loops', () => {
    expect(pollNodes.length).toBeGreaterThanOrEqual(10);
  });

  // components/sameScreen.ts skips redraws across these states on that promise.
  it.each(pollNodes.map((node) => [node.id, node] as const))('%s declares no step and takes no user event', (_id, node) => {
    expect(isStepMeta(node.meta)).toBe(false);
    expect(Object.keys(node.config.on ?? {})).toEqual([]);
  });
});
