/**
 * Persistence cannot be forgotten: the machine takes where its token, pending sign-ins and new
 * key files go in its input (`persistence`, required), and its own actions and confirm actor call
 * it. A bare `createActor(setupMachine)` with a client and no persistence does not compile.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { SetupApi } from '../../machines/api.js';
import { setupMachine } from '../../machines/setupMachine.js';
import { Secret } from '../../src/shared/secret.js';
import { recordingPersistence } from '../support/persistence.js';
import { cleanUpAfterEach, expectReady, signInTo, startSim, startSimFlow } from './simHelpers.js';

cleanUpAfterEach();

const ALICE = 'alice@example.com';

describe("the machine's persistence", () => {
  it('is required: an actor without it is a type error (npm run typecheck checks this file)', () => {
    const api = {} as SetupApi;
    // @ts-expect-error `persistence` is missing: the run's token would silently be kept nowhere.
    const input: Parameters<typeof createActor<typeof setupMachine>>[1] = { input: { api } };
    expect(input.input).not.toHaveProperty('persistence');
  });

  it('a sign-in keeps the pending sign-in once the code is mailed, then the token, and drops the pending one', async () => {
    const persistence = recordingPersistence();
    const flow = await startSimFlow({ input: { persistence } });
    await signInTo(flow, ALICE);
    await flow.until('chooseMethod');
    const token = flow.context().accessToken!.reveal();
    const setupRequestID = persistence.calls.find((call) => call.kind === 'rememberPendingSignIn' && call.setupRequestID)!;
    expect(setupRequestID).toBeDefined();
    expect(persistence.calls.filter((call) => call.kind !== 'rememberPendingSignIn' || call.setupRequestID === undefined)).toEqual(
      expect.arrayContaining([{ kind: 'rememberToken', token }, { kind: 'rememberPendingSignIn', setupRequestID: undefined }]),
    );
    expect(persistence.calls.findIndex((call) => call === setupRequestID)).toBeLessThan(persistence.calls.findIndex((call) => call.kind === 'rememberToken'));
  });

  it('a token the app no longer takes (it was signed out) is forgotten, and nothing else is', async () => {
    const persistence = recordingPersistence();
    const flow = await startSimFlow({ input: { persistence, accessToken: new Secret('syt_from_an_earlier_sign_in') } });
    await flow.until('signIn.enterEmail');
    expect(flow.context().notice).toBe('signed-out');
    expect(persistence.calls).toEqual([{ kind: 'forgetSavedToken' }]);
  });

  it("a new key's file is recorded as on its way before the confirm is sent, and as active once Beeper took it", async () => {
    const sim = await startSim();
    const confirmsSent = () => sim.control.requests().filter((request) => request.path.endsWith('/recovery-key/reset/confirm')).length;
    const persistence = recordingPersistence();
    // Each record notes how many confirms had gone out when it was made.
    const sentAtRecord: number[] = [];
    const record = persistence.recordKeyFile;
    persistence.recordKeyFile = (path, state) => {
      sentAtRecord.push(confirmsSent());
      return record(path, state);
    };
    const flow = await startSimFlow({ sim, input: { persistence } });
    await signInTo(flow, ALICE);
    await flow.until('chooseMethod');
    flow.send({ type: 'FORGOT_RECOVERY_KEY' });
    await flow.until('newRecoveryKey.warning');
    flow.send({ type: 'CONFIRM_RESET' });
    await flow.until('newRecoveryKey.showingKey');
    flow.send({ type: 'KEY_SAVED', savedTo: '/keys/new-recovery-key.txt' });
    await expectReady(flow);
    const keyFile = persistence.calls.filter((call) => call.kind === 'recordKeyFile');
    expect(keyFile).toEqual([
      { kind: 'recordKeyFile', path: '/keys/new-recovery-key.txt', state: 'activating' },
      { kind: 'recordKeyFile', path: '/keys/new-recovery-key.txt', state: 'active' },
    ]);
    expect(sentAtRecord).toEqual([0, 1]);
  });
});
