/** Runtime response checks: required fields named on failure, unknown values carried, extras dropped. */
import { describe, expect, it } from 'vitest';
import * as schemas from '../../src/api/schemas.js';
import { ShapeError } from '../../src/api/validate.js';
import { thrown } from '../support/thrown.js';

const e2ee = {
  initialized: true,
  crossSigning: true,
  verified: false,
  secretStorage: true,
  keyBackup: true,
  firstSyncDone: false,
  hasBackedUpRecoveryKey: true,
  secrets: { masterKey: true, selfSigningKey: true, userSigningKey: true, megolmBackupKey: true, recoveryKey: false },
};

const verification = {
  id: '$tx/1:beeper.com',
  state: 'ready',
  availableActions: ['sas.start', 'cancel'],
  direction: 'outgoing',
  methods: ['qr', 'sas'],
  purpose: 'device',
};

const shapeError = (run: () => unknown): ShapeError => thrown(ShapeError, run, 'the shape check');

describe('session', () => {
  it('accepts the documented shape and drops unknown fields', () => {
    const session = schemas.session({ state: 'ready', e2ee, futureField: 1, matrix: { deviceID: 'D', homeserver: 'h', userID: '@u:b', extra: true } }, 'response');
    expect(session).toEqual({ state: 'ready', e2ee, matrix: { deviceID: 'D', homeserver: 'h', userID: '@u:b' } });
  });

  it('carries an unknown future state, action or verification state through', () => {
    const session = schemas.session(
      { state: 'needs-quantum-keys', e2ee, verification: { ...verification, state: 'teleporting', availableActions: ['sas.start', 'dance'] } },
      'response',
    );
    expect(session.state).toBe('needs-quantum-keys');
    expect(session.verification?.state).toBe('teleporting');
    expect(session.verification?.availableActions).toContain('dance');
  });

  it('names the missing or mistyped field', () => {
    expect(shapeError(() => schemas.session({ e2ee }, 'response')).field).toBe('response.state');
    const mistyped = shapeError(() => schemas.session({ state: 'ready', e2ee: { ...e2ee, secrets: { ...e2ee.secrets, masterKey: 'yes' } } }, 'response'));
    expect(mistyped.field).toBe('response.e2ee.secrets.masterKey');
    expect(mistyped.problem).toMatch(/boolean/);
    const inArray = shapeError(() => schemas.verificationList({ items: [verification, { ...verification, methods: 'qr' }] }, 'response'));
    expect(inArray.field).toBe('response.items[1].methods');
  });

  it('treats null optional fields as absent', () => {
    expect(schemas.session({ state: 'ready', e2ee, matrix: null, verification: null }, 'response')).toEqual({ state: 'ready', e2ee });
  });
});

describe('code response', () => {
  it('tags success and registration, defaulting missing suggestions to none', () => {
    const copy = { title: 't', usernamePlaceholder: 'p', terms: 'x', submit: 's' };
    const registration = schemas.codeResponse({ registrationRequired: true, setupRequestID: 'r', leadToken: 'l', copy }, 'response');
    expect(registration).toEqual({ kind: 'registration-required', setupRequestID: 'r', leadToken: 'l', usernameSuggestions: [], copy });
    const success = schemas.codeResponse(
      { matrix: { accessToken: 'a', deviceID: 'd', homeserver: 'h', userID: 'u' }, session: { state: 'initializing', e2ee } },
      'response',
    );
    expect(success.kind).toBe('signed-in');
  });

  it('a registration without copy (or with part of it) falls back to the contract wording', () => {
    const bare = schemas.codeResponse({ registrationRequired: true, setupRequestID: 'r', leadToken: 'l' }, 'response');
    expect(bare).toMatchObject({ kind: 'registration-required', copy: schemas.DEFAULT_REGISTRATION_COPY });
    const partial = schemas.codeResponse({ registrationRequired: true, setupRequestID: 'r', leadToken: 'l', copy: { title: 'Pick one' } }, 'response');
    expect(partial).toMatchObject({ copy: { ...schemas.DEFAULT_REGISTRATION_COPY, title: 'Pick one' } });
  });

  it('registrationRequired: false is a success, not a registration', () => {
    const success = schemas.codeResponse(
      { registrationRequired: false, matrix: { accessToken: 'a', deviceID: 'd', homeserver: 'h', userID: 'u' }, session: { state: 'initializing', e2ee } },
      'response',
    );
    expect(success.kind).toBe('signed-in');
  });

  it('a session it cannot read does not cost the access token', () => {
    const success = schemas.codeResponse({ matrix: { accessToken: 'a', deviceID: 'd', homeserver: 'h', userID: 'u' }, session: { state: 3 } }, 'response');
    expect(success).toMatchObject({ kind: 'signed-in', matrix: { accessToken: 'a' } });
    expect(success.kind === 'signed-in' && success.session).toBeUndefined();
    expect(shapeError(() => schemas.codeResponse({ session: { state: 'ready', e2ee } }, 'response')).field).toBe('response.matrix');
  });
});
