import { describe, expect, it } from 'vitest';
import { checkRecoveryKey, encodeRecoveryKey, sameRecoveryKey } from '../../src/shared/recoveryKey.js';
import {
  FAST,
  SETUP,
  closeSimulatorsAfterEach,
  get,
  manualClock,
  post,
  recoveryKeyOf,
  signIn,
  start,
  submitCode,
} from './helpers.js';

closeSimulatorsAfterEach();

const RK = `${SETUP}/verification/recovery-key`;
const compact = (key: string) => key.replace(/\s+/g, '');
/** A well-formed key that belongs to nobody. */
const strangerKey = encodeRecoveryKey(new Uint8Array(32).fill(7));

async function clockedSignIn(email = 'alice@example.com') {
  const clock = manualClock();
  const sim = await start({ now: clock.now });
  const token = await signIn(sim, email);
  const state = async () => (await get(sim, SETUP, token)).body.state as string;
  return { sim, clock, token, state };
}

describe('state progression', () => {
  it('goes needs-login → initializing → needs-verification for an existing account', async () => {
    const { clock, state, sim, token } = await clockedSignIn();
    expect(await state()).toBe('initializing');
    clock.advance(FAST.initializingMs - 1);
    expect(await state()).toBe('initializing');
    clock.advance(1);
    expect(await state()).toBe('needs-verification');
    const { body } = await get(sim, SETUP, token);
    expect(body.e2ee).toMatchObject({ initialized: true, crossSigning: true, verified: false, firstSyncDone: false });
    expect(body.e2ee.secrets.masterKey).toBe(false);
  });

  it('recovery key → needs-first-sync → ready, with the e2ee flags', async () => {
    const { sim, clock, token, state } = await clockedSignIn();
    clock.advance(FAST.initializingMs);
    const used = await post(sim, RK, { recoveryKey: compact(recoveryKeyOf(sim, 'alice@example.com')) }, token);
    expect(used.status).toBe(200);
    expect(used.body.session.state).toBe('needs-first-sync');
    expect(used.body.session.e2ee).toMatchObject({ verified: true, crossSigning: true, firstSyncDone: false, hasBackedUpRecoveryKey: true });
    expect(Object.values(used.body.session.e2ee.secrets)).toEqual([true, true, true, true, true]);
    clock.advance(FAST.firstSyncMs);
    expect(await state()).toBe('ready');
    expect((await get(sim, SETUP, token)).body.e2ee.firstSyncDone).toBe(true);
  });

  it('resetApp signs out: needs-login, public again, the old token is gone', async () => {
    const { sim, clock, token } = await clockedSignIn();
    clock.advance(FAST.initializingMs);
    const reset = await post(sim, '/_sim/reset');
    expect(reset.body.session.state).toBe('needs-login');
    expect((await get(sim, SETUP)).body.state).toBe('needs-login');
    expect((await post(sim, RK, { recoveryKey: strangerKey }, token)).status).toBe(401);
  });
});

describe('auth', () => {
  const protectedCalls: [string, string][] = [
    ['POST', RK],
    ['POST', `${RK}/reset`],
    ['POST', `${RK}/reset/confirm`],
    ['GET', `${SETUP}/verifications`],
    ['POST', `${SETUP}/verifications`],
    ['POST', `${SETUP}/verifications/qr/scan`],
    ['GET', `${SETUP}/verifications/${encodeURIComponent('$a/b:beeper.com')}`],
    ['POST', `${SETUP}/verifications/${encodeURIComponent('$a/b:beeper.com')}/accept`],
  ];

  it('needs the token for key and verification routes, before and after sign-in', async () => {
    const sim = await start();
    for (const [method, path] of protectedCalls) {
      const answer = method === 'GET' ? await get(sim, path) : await post(sim, path);
      expect(answer.status, path).toBe(401);
    }
    await signIn(sim);
    for (const [method, path] of protectedCalls) {
      const answer = method === 'GET' ? await get(sim, path, 'wrong') : await post(sim, path, {}, 'wrong');
      expect(answer.status, path).toBe(401);
      expect(answer.body).toEqual({ code: 'UNAUTHORIZED', message: 'Missing or invalid access token.' });
    }
  });

  it('GET /v1/app/setup needs the token once signed in', async () => {
    const sim = await start();
    const token = await signIn(sim);
    expect((await get(sim, SETUP)).status).toBe(401);
    expect((await get(sim, SETUP, 'nope')).status).toBe(401);
    expect((await get(sim, SETUP, token)).status).toBe(200);
  });

  // Beeper's own CLI sends this bearer on the sign-in calls before it holds a token; so does beeper-setup.
  const PUBLIC_CLIENT = 'setup-login-public-client';
  const bearers = [
    ['no Authorization', undefined],
    ["the public client's bearer", PUBLIC_CLIENT],
  ] as const;

  describe.each(['lenient', 'strict'] as const)('%s', (profile) => {
    it.each(bearers)('takes the sign-in calls with %s, start to register', async (_name, bearer) => {
      const sim = await start({ profile });
      const started = await post(sim, `${SETUP}/start`, {}, bearer);
      expect(started.status).toBe(200);
      const { setupRequestID } = started.body;
      expect((await post(sim, `${SETUP}/email`, { setupRequestID, email: 'dana@example.com' }, bearer)).status).toBe(204);
      const response = await post(sim, `${SETUP}/response`, { setupRequestID, response: sim.control.latestCode('dana@example.com') }, bearer);
      expect(response.body.registrationRequired).toBe(true);
      const registered = await post(
        sim,
        `${SETUP}/register`,
        { acceptTerms: true, leadToken: response.body.leadToken, setupRequestID: response.body.setupRequestID, username: 'dana' },
        bearer,
      );
      expect(registered.status).toBe(200);
      expect(registered.body.matrix.accessToken).not.toBe(PUBLIC_CLIENT);
    });

    it("treats the public client's bearer as no token: GET /v1/app/setup means what it means without one", async () => {
      const sim = await start({ profile });
      expect((await get(sim, SETUP, PUBLIC_CLIENT)).body.state).toBe('needs-login');
      expect((await get(sim, SETUP)).body.state).toBe('needs-login');
      const token = await signIn(sim);
      expect((await get(sim, SETUP, PUBLIC_CLIENT)).status).toBe(401);
      expect((await get(sim, SETUP)).status).toBe(401);
      expect((await get(sim, SETUP, token)).status).toBe(200);
      for (const [method, path] of protectedCalls) {
        const answer = method === 'GET' ? await get(sim, path, PUBLIC_CLIENT) : await post(sim, path, {}, PUBLIC_CLIENT);
        expect(answer.status, path).toBe(401);
      }
    });
  });
});

describe('recovery key', () => {
  it('tells a wrong key from an invalid one', async () => {
    const { sim, clock, token, state } = await clockedSignIn();
    clock.advance(FAST.initializingMs);
    const wrong = await post(sim, RK, { recoveryKey: strangerKey }, token);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ code: 'WRONG_RECOVERY_KEY', message: 'That recovery key does not belong to this account.' });
    const typo = recoveryKeyOf(sim, 'alice@example.com').replace(/^EsS|^EsT|^EsU/, (p) => (p === 'EsS' ? 'EsT' : 'EsS'));
    const invalid = await post(sim, RK, { recoveryKey: typo }, token);
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('INVALID_RECOVERY_KEY');
    const garbage = await post(sim, RK, { recoveryKey: 'hello world' }, token);
    expect(garbage.body.code).toBe('INVALID_RECOVERY_KEY');
    expect(await state()).toBe('needs-verification');
  });

  it('is refused while initializing and once ready', async () => {
    const { sim, clock, token } = await clockedSignIn();
    const key = recoveryKeyOf(sim, 'alice@example.com');
    const early = await post(sim, RK, { recoveryKey: key }, token);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('INVALID_STATE');
    expect(early.body.message).toContain('initializing');
    clock.advance(FAST.initializingMs);
    expect((await post(sim, RK, { recoveryKey: key }, token)).status).toBe(200);
    clock.advance(FAST.firstSyncMs);
    const late = await post(sim, RK, { recoveryKey: key }, token);
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('ready');
  });

  it('uses a seeded key given in any whitespace', async () => {
    const key = encodeRecoveryKey(new Uint8Array(32).fill(3));
    const clock = manualClock();
    const sim = await start({ now: clock.now, accounts: [{ email: 'zed@example.com', username: 'zed', recoveryKey: compact(key) }] });
    expect(recoveryKeyOf(sim, 'zed@example.com')).toBe(key);
    const token = await signIn(sim, 'zed@example.com');
    clock.advance(FAST.initializingMs);
    const used = await post(sim, RK, { recoveryKey: key.replace(/ /g, '\n') }, token);
    expect(used.status).toBe(200);
  });
});

describe('reset and confirm', () => {
  async function newAccount() {
    const clock = manualClock();
    const sim = await start({ now: clock.now });
    const { setupRequestID, answer } = await submitCode(sim, 'new@example.com');
    const registered = await post(sim, `${SETUP}/register`, {
      acceptTerms: true,
      leadToken: answer.body.leadToken,
      setupRequestID,
      username: 'newbie',
    });
    const token: string = registered.body.matrix.accessToken;
    clock.advance(FAST.initializingMs);
    return { sim, clock, token };
  }

  it('creates a real key for a new account and makes it the account key on confirm', async () => {
    const { sim, clock, token } = await newAccount();
    const before = (await get(sim, SETUP, token)).body;
    expect(before.state).toBe('needs-cross-signing-setup');
    expect(before.e2ee).toMatchObject({ crossSigning: false, hasBackedUpRecoveryKey: false });
    expect(before.e2ee.recoveryKeyGeneratedAt).toBeUndefined();

    const noPending = await post(sim, `${RK}/reset/confirm`, { recoveryKey: strangerKey }, token);
    expect(noPending.status).toBe(409);

    const reset = await post(sim, `${RK}/reset`, {}, token);
    expect(reset.status).toBe(200);
    const key: string = reset.body.recoveryKey;
    expect(checkRecoveryKey(key).ok).toBe(true);
    expect(key).toMatch(/^(?:\S{4} ){11}\S{4}$/);
    expect(reset.body.session.state).toBe('needs-cross-signing-setup');

    const wrong = await post(sim, `${RK}/reset/confirm`, { recoveryKey: strangerKey }, token);
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('WRONG_RECOVERY_KEY');

    const confirmed = await post(sim, `${RK}/reset/confirm`, { recoveryKey: compact(key) }, token);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.session.state).toBe('needs-first-sync');
    expect(confirmed.body.session.e2ee).toMatchObject({
      crossSigning: true,
      verified: true,
      hasBackedUpRecoveryKey: true,
      recoveryKeyGeneratedAt: Math.floor(clock.now() / 1000),
    });
    const account = sim.control.accounts().find((a) => a.email === 'new@example.com')!;
    expect(sameRecoveryKey(account.recoveryKey!, key)).toBe(true);
    clock.advance(FAST.firstSyncMs);
    expect((await get(sim, SETUP, token)).body.state).toBe('ready');
  });

  it('checks an existing key when one is given, and replaces an existing account key', async () => {
    const { sim, clock, token } = await clockedSignIn();
    clock.advance(FAST.initializingMs);
    const old = recoveryKeyOf(sim, 'alice@example.com');
    const wrong = await post(sim, `${RK}/reset`, { existingRecoveryKey: strangerKey }, token);
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('WRONG_RECOVERY_KEY');
    const reset = await post(sim, `${RK}/reset`, { existingRecoveryKey: old }, token);
    expect(reset.status).toBe(200);
    expect(reset.body.session.state).toBe('needs-verification');
    expect(sameRecoveryKey(reset.body.recoveryKey, old)).toBe(false);
    // Until confirmed, the old key is still the account's key.
    expect(recoveryKeyOf(sim, 'alice@example.com')).toBe(old);
    const confirmed = await post(sim, `${RK}/reset/confirm`, { recoveryKey: reset.body.recoveryKey }, token);
    expect(confirmed.body.session.state).toBe('needs-first-sync');
    expect(sameRecoveryKey(recoveryKeyOf(sim, 'alice@example.com'), reset.body.recoveryKey)).toBe(true);
  });
});
