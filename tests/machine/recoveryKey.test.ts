/** Recovery key: enter it, get it wrong, reset it with or without the old one. */
import { describe, expect, it } from 'vitest';
import { checkRecoveryKey } from '../../src/shared/recoveryKey.js';
import { Secret } from '../../src/shared/secret.js';
import { atChooseMethod } from './flows.js';
import { NEW_KEY, OTHER_KEY, RECOVERY_KEY, TYPO_KEY, httpError, revealed, session, startFlow } from './helpers.js';

const submitKey = (text: string) => ({ type: 'SUBMIT_RECOVERY_KEY' as const, recoveryKey: new Secret(text) });

async function atEnterRecoveryKey() {
  const flow = await atChooseMethod();
  await flow.send({ type: 'CHOOSE_RECOVERY_KEY' });
  expect(flow.state()).toBe('enterRecoveryKey');
  return flow;
}

describe('enter the recovery key', () => {
  it('the fixtures are what they claim', () => {
    expect(checkRecoveryKey(RECOVERY_KEY).ok).toBe(true);
    expect(checkRecoveryKey(OTHER_KEY).ok).toBe(true);
    expect(checkRecoveryKey(TYPO_KEY).ok).toBe(false);
  });

  it('a wrong key (server says so) goes back to the field with the key kept; the right one goes on', async () => {
    const flow = await atEnterRecoveryKey();
    flow.server.next('verifyRecoveryKey', httpError(400, 'WRONG_RECOVERY_KEY', 'That recovery key does not belong to this account.'));
    await flow.send(submitKey(OTHER_KEY));
    expect(flow.state()).toBe('enterRecoveryKey');
    expect(flow.context().problem).toMatchObject({ kind: 'rejected', code: 'WRONG_RECOVERY_KEY' });
    expect(revealed(flow.context().recoveryKeyDraft)).toBe(OTHER_KEY);

    flow.server.session = session('needs-first-sync');
    await flow.send(submitKey(RECOVERY_KEY));
    expect(flow.server.callsTo('verifyRecoveryKey').map((input) => revealed(input.recoveryKey))).toEqual([OTHER_KEY, RECOVERY_KEY]);
    expect(flow.state()).toBe('firstSync.idle');
    expect(flow.context().recoveryKeyDraft).toBeUndefined();
    expect(flow.context().problem).toBeUndefined();
  });

  it.each([
    ['a typo', TYPO_KEY],
    ['empty', '   '],
    ['not a key', 'correct horse battery staple'],
  ])('%s is refused locally, without a call', async (_, text) => {
    const flow = await atEnterRecoveryKey();
    await flow.send(submitKey(text));
    expect(flow.state()).toBe('enterRecoveryKey');
    expect(flow.context().problem).toMatchObject({ kind: 'rejected', code: 'NOT_A_RECOVERY_KEY' });
    expect(revealed(flow.context().recoveryKeyDraft)).toBe(text);
    expect(flow.server.count('verifyRecoveryKey')).toBe(0);
  });

  it('a key pasted across lines is accepted', async () => {
    const flow = await atEnterRecoveryKey();
    flow.server.session = session('needs-first-sync');
    await flow.send(submitKey(RECOVERY_KEY.replace(/ /g, '\n')));
    expect(flow.server.count('verifyRecoveryKey')).toBe(1);
  });

  it('BACK returns to the method choice when verification is still possible', async () => {
    const flow = await atEnterRecoveryKey();
    await flow.send({ type: 'BACK' });
    expect(flow.state()).toBe('chooseMethod.idle');
  });

  it('needs-secrets routes straight to the key, and BACK has nowhere to go', async () => {
    const flow = await startFlow({ input: { accessToken: new Secret('token-0') }, prepare: (server) => (server.session = session('needs-secrets')) });
    expect(flow.state()).toBe('enterRecoveryKey');
    await flow.send({ type: 'BACK' });
    expect(flow.state()).toBe('enterRecoveryKey');
  });

  it('a 401 while checking the key forgets the token and signs in again', async () => {
    const flow = await atEnterRecoveryKey();
    flow.server.next('verifyRecoveryKey', httpError(401, 'UNAUTHORIZED', 'Sign in again.'));
    flow.server.session = session('needs-login');
    await flow.send(submitKey(RECOVERY_KEY));
    expect(flow.state()).toBe('signIn.enterEmail');
    expect(flow.context().accessToken).toBeUndefined();
    expect(flow.context().notice).toBe('signed-out');
  });
});

describe('reset the recovery key', () => {
  async function atWarning() {
    const flow = await atEnterRecoveryKey();
    await flow.send({ type: 'FORGOT_RECOVERY_KEY' });
    expect(flow.state()).toBe('newRecoveryKey.warning');
    expect(flow.context().newKeyReason).toBe('lost-key');
    expect(flow.server.count('resetRecoveryKey')).toBe(0);
    return flow;
  }

  it('without the old key: warning → new key shown once → saved → confirmed', async () => {
    const flow = await atWarning();
    await flow.send({ type: 'CONFIRM_RESET' });
    expect(flow.server.callsTo('resetRecoveryKey').map((input) => input.existingRecoveryKey)).toEqual([undefined]);
    expect(flow.state()).toBe('newRecoveryKey.showingKey');
    expect(revealed(flow.context().newRecoveryKey)).toBe(NEW_KEY);

    flow.server.session = session('needs-first-sync');
    await flow.send({ type: 'KEY_SAVED' });
    expect(flow.server.callsTo('confirmRecoveryKey').map((input) => revealed(input.recoveryKey))).toEqual([NEW_KEY]);
    expect(flow.state()).toBe('firstSync.idle');
    expect(flow.context().newRecoveryKey).toBeUndefined();
  });

  it('with the old key: it is sent along, then forgotten', async () => {
    const flow = await atWarning();
    await flow.send({ type: 'CONFIRM_RESET', existingRecoveryKey: new Secret(RECOVERY_KEY) });
    expect(flow.server.callsTo('resetRecoveryKey').map((input) => revealed(input.existingRecoveryKey))).toEqual([RECOVERY_KEY]);
    expect(flow.context().existingRecoveryKey).toBeUndefined();
    expect(flow.state()).toBe('newRecoveryKey.showingKey');
  });

  it('an old key with a typo is refused locally; an empty one counts as none', async () => {
    const flow = await atWarning();
    await flow.send({ type: 'CONFIRM_RESET', existingRecoveryKey: new Secret(TYPO_KEY) });
    expect(flow.state()).toBe('newRecoveryKey.warning');
    expect(flow.context().problem).toMatchObject({ kind: 'rejected', code: 'NOT_A_RECOVERY_KEY' });
    expect(flow.server.count('resetRecoveryKey')).toBe(0);

    await flow.send({ type: 'CONFIRM_RESET', existingRecoveryKey: new Secret('  ') });
    expect(flow.server.callsTo('resetRecoveryKey').map((input) => input.existingRecoveryKey)).toEqual([undefined]);
  });

  it('a failed reset can be retried; a failed confirm keeps the key on screen', async () => {
    const flow = await atWarning();
    flow.server.next('resetRecoveryKey', httpError(500, 'INTERNAL', 'Boom.'));
    await flow.send({ type: 'CONFIRM_RESET' });
    expect(flow.state()).toBe('newRecoveryKey.creationFailed');
    expect(flow.context().problem?.kind).toBe('server');
    await flow.send({ type: 'RETRY' });
    expect(flow.state()).toBe('newRecoveryKey.showingKey');
    expect(flow.server.count('resetRecoveryKey')).toBe(2);

    flow.server.next('confirmRecoveryKey', httpError(500, 'INTERNAL', 'Boom.'));
    await flow.send({ type: 'KEY_SAVED' });
    expect(flow.state()).toBe('newRecoveryKey.showingKey');
    expect(revealed(flow.context().newRecoveryKey)).toBe(NEW_KEY);
  });

  it('a wrong old key: BACK returns to the warning to enter it again, not further', async () => {
    const flow = await atWarning();
    flow.server.next('resetRecoveryKey', httpError(400, 'WRONG_RECOVERY_KEY', 'That recovery key does not belong to this account.'));
    await flow.send({ type: 'CONFIRM_RESET', existingRecoveryKey: new Secret(RECOVERY_KEY) });
    expect(flow.state()).toBe('newRecoveryKey.creationFailed');
    await flow.send({ type: 'BACK' });
    expect(flow.state()).toBe('newRecoveryKey.warning');
    expect(flow.context().problem).toBeUndefined();
  });

  it('BACK from the warning sends nothing and returns to the key field it was opened from', async () => {
    const flow = await atWarning();
    await flow.send({ type: 'BACK' });
    expect(flow.state()).toBe('enterRecoveryKey');
    expect(flow.server.count('resetRecoveryKey')).toBe(0);
  });

  it('opened from the method choice, BACK returns to where the server stands', async () => {
    const flow = await atEnterRecoveryKey();
    await flow.send({ type: 'BACK' });
    expect(flow.state()).toBe('chooseMethod.idle');
    await flow.send({ type: 'FORGOT_RECOVERY_KEY' });
    expect(flow.state()).toBe('newRecoveryKey.warning');
    await flow.send({ type: 'BACK' });
    expect(flow.state()).toBe('chooseMethod.idle');
    expect(flow.server.count('resetRecoveryKey')).toBe(0);
  });
});
