/** Walks a flow (fakes, simulated clock) to a given step, asserting each step on the way. */
import { expect } from 'vitest';
import { Secret } from '../../src/shared/secret.js';
import type { SetupInput } from '../../machines/types.js';
import { session, startFlow, verification, type Flow } from './helpers.js';

/** Signed in and waiting on the method choice (needs-verification). */
export async function atChooseMethod(input: Partial<SetupInput> = {}): Promise<Flow> {
  return startFlow({
    input: { accessToken: new Secret('token-0'), ...input },
    prepare: (server) => {
      server.session = session('needs-verification');
    },
  });
}

/** The verification step the machine shows, or its state when it is not tracking one. */
export const step = (flow: Flow) =>
  flow.state().split(' | ').find((path) => path.includes('.step.'))?.split('.').at(-1) ?? flow.state();

/** Chose "another device"; the server created a request the other device has not answered yet. */
export async function atWaitingForOtherDevice(flow?: Flow): Promise<Flow> {
  const f = flow ?? (await atChooseMethod());
  f.server.moves('beginVerification', verification('requested'));
  await f.send({ type: 'CHOOSE_DEVICE' });
  expect(step(f)).toBe('waitingForOtherDevice');
  return f;
}

/** The other device accepted: the server offers a QR code and emoji comparison. */
export async function atShowingQr(): Promise<Flow> {
  const flow = await atWaitingForOtherDevice();
  flow.server.verification = verification('ready');
  await flow.advance(1000);
  expect(step(flow)).toBe('showingQr');
  return flow;
}

/** Switched to emojis; the server shows the seven emojis. */
export async function atComparingEmojis(): Promise<Flow> {
  const flow = await atShowingQr();
  flow.server.moves('startSas', verification('sas_ready'));
  await flow.send({ type: 'SHOW_EMOJI' });
  expect(step(flow)).toBe('comparingEmojis');
  expect(flow.context().verification?.sas?.emojis).toBe('🐶🐱🦁🐎🦄🐷🐘');
  return flow;
}

