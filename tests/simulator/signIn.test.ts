import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNTS } from '../../src/simulator/index.js';
import { SETUP, closeSimulatorsAfterEach, get, post, start, submitCode } from './helpers.js';

closeSimulatorsAfterEach();

describe('start and email', () => {
  it('starts a setup request with a random ID and email sign-in', async () => {
    const sim = await start();
    const a = await post(sim, `${SETUP}/start`);
    const b = await post(sim, `${SETUP}/start`);
    expect(a.status).toBe(200);
    expect(a.body.signInMethods).toEqual(['email']);
    expect(a.body.setupRequestID).toMatch(/^\S{16,}$/);
    expect(a.body.setupRequestID).not.toBe(b.body.setupRequestID);
  });

  it('mails a 6-digit code, logs exactly one line for it, and records it in the outbox', async () => {
    const lines: string[] = [];
    const sim = await start({ log: (line) => lines.push(line) });
    const mails: string[] = [];
    sim.control.on('mail', ({ email, code }) => mails.push(`${email}=${code}`));
    const { setupRequestID } = (await post(sim, `${SETUP}/start`)).body;
    const mailed = await post(sim, `${SETUP}/email`, { setupRequestID, email: 'Alice@Example.com' });
    expect(mailed.status).toBe(204);
    const code = sim.control.latestCode('alice@example.com');
    expect(code).toMatch(/^\d{6}$/);
    expect(lines).toEqual([`[simulator] code for alice@example.com: ${code}`]);
    expect(mails).toEqual([`alice@example.com=${code}`]);
    const outbox = await get(sim, '/_sim/outbox');
    expect(outbox.body.messages).toEqual([{ email: 'alice@example.com', code, at: expect.any(Number) }]);
    expect((await get(sim, '/_sim/code?email=alice@example.com')).body).toEqual({ code });
    expect((await get(sim, '/_sim/code?email=nobody@example.com')).status).toBe(404);
  });

  it('keeps leading zeros in codes', async () => {
    const sim = await start({ random: () => 1e-9 });
    const { setupRequestID } = (await post(sim, `${SETUP}/start`)).body;
    await post(sim, `${SETUP}/email`, { setupRequestID, email: 'alice@example.com' });
    expect(sim.control.latestCode()).toBe('000000');
  });

  it('rejects unknown setup requests and invalid emails', async () => {
    const sim = await start();
    const unknown = await post(sim, `${SETUP}/email`, { setupRequestID: 'nope', email: 'alice@example.com' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('SETUP_REQUEST_NOT_FOUND');
    const { setupRequestID } = (await post(sim, `${SETUP}/start`)).body;
    const invalid = await post(sim, `${SETUP}/email`, { setupRequestID, email: 'not-an-email' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'INVALID_EMAIL', message: expect.any(String) });
    expect(sim.control.outbox()).toEqual([]);
  });

  it('replaces the code when the email is sent again', async () => {
    const sim = await start();
    const { setupRequestID } = (await post(sim, `${SETUP}/start`)).body;
    await post(sim, `${SETUP}/email`, { setupRequestID, email: 'alice@example.com' });
    const first = sim.control.latestCode()!;
    await post(sim, `${SETUP}/email`, { setupRequestID, email: 'alice@example.com' });
    const second = sim.control.latestCode()!;
    expect(sim.control.outbox()).toHaveLength(2);
    if (first !== second) {
      const stale = await post(sim, `${SETUP}/response`, { setupRequestID, response: first });
      expect(stale.status).toBe(401);
    }
    const fresh = await post(sim, `${SETUP}/response`, { setupRequestID, response: second });
    expect(fresh.status).toBe(200);
  });
});

describe('response', () => {
  it('signs in a known email with Matrix credentials and a session', async () => {
    const sim = await start();
    const { answer } = await submitCode(sim, 'alice@example.com');
    expect(answer.status).toBe(200);
    expect(answer.body.matrix).toEqual({
      accessToken: expect.stringMatching(/^\S{20,}$/),
      deviceID: expect.stringMatching(/^[A-Z]{10}$/),
      homeserver: 'https://matrix.beeper.com',
      userID: '@alice:beeper.com',
    });
    expect(answer.body.session.state).toBe('initializing');
    expect(answer.body.session.matrix).toEqual({
      deviceID: answer.body.matrix.deviceID,
      homeserver: 'https://matrix.beeper.com',
      userID: '@alice:beeper.com',
    });
    expect(answer.body.registrationRequired).toBeUndefined();
  });

  it('asks an unknown email to register, with suggestions and the contract copy', async () => {
    const sim = await start();
    const { setupRequestID, answer } = await submitCode(sim, 'carol.smith@example.com');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      registrationRequired: true,
      setupRequestID,
      leadToken: expect.any(String),
      usernameSuggestions: expect.any(Array),
      copy: {
        title: 'Choose your username',
        usernamePlaceholder: 'Username',
        terms: 'By continuing, you agree to the Terms of Use and acknowledge the Privacy Policy.',
        submit: 'Continue',
      },
    });
    const suggestions: string[] = answer.body.usernameSuggestions;
    expect(suggestions).toHaveLength(3);
    expect(new Set(suggestions).size).toBe(3);
    for (const name of suggestions) {
      expect(name).toMatch(/^[a-z0-9._-]{3,32}$/);
      expect(name.startsWith('carol.smith')).toBe(true);
    }
  });

  it('never suggests a taken username', async () => {
    const sim = await start();
    const { answer } = await submitCode(sim, 'alice@elsewhere.org');
    expect(answer.body.usernameSuggestions).toHaveLength(3);
    expect(answer.body.usernameSuggestions).not.toContain('alice');
  });

  it('counts wrong codes down and kills the request at the fifth', async () => {
    const sim = await start();
    const { setupRequestID } = (await post(sim, `${SETUP}/start`)).body;
    await post(sim, `${SETUP}/email`, { setupRequestID, email: 'alice@example.com' });
    const right = sim.control.latestCode()!;
    const wrong = right === '111111' ? '222222' : '111111';
    for (const left of [4, 3, 2, 1]) {
      const answer = await post(sim, `${SETUP}/response`, { setupRequestID, response: wrong });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        code: 'INVALID_CODE',
        message: `That code is not right. ${left} ${left === 1 ? 'attempt' : 'attempts'} left.`,
        details: { attemptsLeft: left },
      });
    }
    const fifth = await post(sim, `${SETUP}/response`, { setupRequestID, response: wrong });
    expect(fifth.status).toBe(410);
    expect(fifth.body).toEqual({ code: 'SETUP_REQUEST_EXPIRED', message: 'Too many wrong codes. Start over to get a new code.' });
    const after = await post(sim, `${SETUP}/response`, { setupRequestID, response: right });
    expect(after.status).toBe(410);
    expect((await post(sim, `${SETUP}/email`, { setupRequestID, email: 'alice@example.com' })).status).toBe(410);
  });

  it('does not accept a code with spaces or dashes (the client cleans them)', async () => {
    const sim = await start();
    const { setupRequestID } = (await post(sim, `${SETUP}/start`)).body;
    await post(sim, `${SETUP}/email`, { setupRequestID, email: 'alice@example.com' });
    const code = sim.control.latestCode()!;
    const spaced = await post(sim, `${SETUP}/response`, { setupRequestID, response: `${code.slice(0, 3)} ${code.slice(3)}` });
    const dashed = await post(sim, `${SETUP}/response`, { setupRequestID, response: `${code.slice(0, 3)}-${code.slice(3)}` });
    expect([spaced.status, dashed.status]).toEqual([401, 401]);
  });

  it('re-sign-in issues a new token for the same account and device', async () => {
    const sim = await start();
    const first = (await submitCode(sim, 'alice@example.com')).answer.body.matrix;
    const second = (await submitCode(sim, 'alice@example.com')).answer.body.matrix;
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.deviceID).toBe(first.deviceID);
    expect(second.userID).toBe(first.userID);
    expect((await get(sim, SETUP, first.accessToken)).status).toBe(401);
    expect((await get(sim, SETUP, second.accessToken)).status).toBe(200);
  });

  it('refuses signing in to a second account while signed in', async () => {
    const sim = await start();
    await submitCode(sim, 'alice@example.com');
    const { answer } = await submitCode(sim, 'bob@example.com');
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('INVALID_STATE');
  });
});

describe('register', () => {
  async function registration(email = 'dana@example.com') {
    const sim = await start();
    const { setupRequestID, answer } = await submitCode(sim, email);
    const base = { acceptTerms: true, leadToken: answer.body.leadToken as string, setupRequestID, username: 'dana' };
    return { sim, base };
  }

  it('requires acceptTerms: true', async () => {
    const { sim, base } = await registration();
    for (const acceptTerms of [false, 'true', undefined]) {
      const answer = await post(sim, `${SETUP}/register`, { ...base, acceptTerms });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('TERMS_NOT_ACCEPTED');
    }
  });

  it('rejects a wrong lead token', async () => {
    const { sim, base } = await registration();
    const answer = await post(sim, `${SETUP}/register`, { ...base, leadToken: 'forged' });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('INVALID_LEAD_TOKEN');
  });

  it('explains the username rule', async () => {
    const { sim, base } = await registration();
    for (const username of ['ab', 'Dana', 'da na', 'x'.repeat(33), 'dänä']) {
      const answer = await post(sim, `${SETUP}/register`, { ...base, username });
      expect(answer.status, username).toBe(400);
      expect(answer.body.code).toBe('INVALID_USERNAME');
      expect(answer.body.message).toMatch(/3–32 characters/);
    }
  });

  it('rejects taken and reserved usernames', async () => {
    const { sim, base } = await registration();
    for (const username of [...DEFAULT_ACCOUNTS.map((a) => a.username), 'admin', 'beeper', 'support']) {
      const answer = await post(sim, `${SETUP}/register`, { ...base, username });
      expect(answer.status, username).toBe(409);
      expect(answer.body).toEqual({ code: 'USERNAME_TAKEN', message: 'That username is taken.' });
    }
  });

  it('creates a new account without cross-signing, which then needs cross-signing setup', async () => {
    const { sim, base } = await registration();
    const answer = await post(sim, `${SETUP}/register`, { ...base, username: 'dana_1' });
    expect(answer.status).toBe(200);
    expect(answer.body.matrix.userID).toBe('@dana_1:beeper.com');
    const account = sim.control.accounts().find((a) => a.email === 'dana@example.com');
    expect(account).toMatchObject({ username: 'dana_1', crossSigning: false });
    expect(account?.recoveryKey).toBeUndefined();
    await expect
      .poll(async () => (await get(sim, SETUP, answer.body.matrix.accessToken)).body.state, { timeout: 2000, interval: 10 })
      .toBe('needs-cross-signing-setup');
    // The username is now taken for everybody else.
    sim.control.resetApp();
    const again = await submitCode(sim, 'erin@example.com');
    const taken = await post(sim, `${SETUP}/register`, {
      acceptTerms: true,
      leadToken: again.answer.body.leadToken,
      setupRequestID: again.setupRequestID,
      username: 'dana_1',
    });
    expect(taken.status).toBe(409);
  });
});

describe('request errors', () => {
  it('answers bad JSON with INVALID_JSON and missing fields with VALIDATION_ERROR issues', async () => {
    const sim = await start();
    const badJson = await post(sim, `${SETUP}/email`, '{"setupRequestID":');
    expect(badJson.status).toBe(400);
    expect(badJson.body).toMatchObject({ code: 'INVALID_JSON', message: expect.any(String) });
    const missing = await post(sim, `${SETUP}/email`, { email: 42 });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_ERROR');
    expect(missing.body.message).toMatch(/setupRequestID/);
    expect(missing.body.details.issues).toEqual([
      { code: 'invalid_type', message: 'Required', path: ['setupRequestID'] },
      { code: 'invalid_type', message: 'Expected string, received number', path: ['email'] },
    ]);
  });

  it('answers unknown routes and wrong methods with JSON errors', async () => {
    const sim = await start();
    const unknown = await get(sim, '/v1/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'NOT_FOUND', message: expect.any(String) });
    const wrongMethod = await get(sim, `${SETUP}/start`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('GET /v1/app/setup is public before sign-in', async () => {
    const sim = await start();
    const session = await get(sim, SETUP);
    expect(session.status).toBe(200);
    expect(session.body).toEqual({
      state: 'needs-login',
      e2ee: {
        initialized: false,
        crossSigning: false,
        verified: false,
        secretStorage: false,
        keyBackup: false,
        firstSyncDone: false,
        hasBackedUpRecoveryKey: false,
        secrets: { masterKey: false, selfSigningKey: false, userSigningKey: false, megolmBackupKey: false, recoveryKey: false },
      },
    });
  });
});

describe('which app answers', () => {
  it('serves /v1/info in snake_case without a token', async () => {
    const sim = await start();
    const info = await get(sim, '/v1/info');
    expect(info.status).toBe(200);
    expect(info.body).toEqual({
      app: { name: 'Beeper Server', version: '4.2.1', bundle_id: 'com.automattic.beeper.server' },
      platform: { os: process.platform, arch: process.arch },
      server: {
        base_url: sim.url,
        hostname: '127.0.0.1',
        port: sim.port,
        remote_access: false,
        status: 'running',
        mcp_enabled: false,
      },
      endpoints: {},
    });
  });

  it('a legacy build answers /v1/info but 404s every setup route', async () => {
    const sim = await start({ legacyBuild: true });
    expect((await get(sim, '/v1/info')).status).toBe(200);
    for (const [method, path] of [
      ['POST', `${SETUP}/start`],
      ['GET', SETUP],
      ['GET', `${SETUP}/verifications`],
    ] as const) {
      const answer = method === 'GET' ? await get(sim, path) : await post(sim, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.code).toBe('NOT_FOUND');
    }
    sim.control.configure({ legacyBuild: false });
    expect((await post(sim, `${SETUP}/start`)).status).toBe(200);
  });
});
