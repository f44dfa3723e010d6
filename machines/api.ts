/**
 * The slice of the client the machine uses. Tests hand the machine a fake of
 * this shape, or replace the actors outright with machine.provide().
 */
import type { SetupClient } from '../src/api/client.js';

export type SetupApi = Pick<
  SetupClient,
  | 'info'
  | 'getSession'
  | 'start'
  | 'sendEmail'
  | 'submitCode'
  | 'register'
  | 'verifyRecoveryKey'
  | 'resetRecoveryKey'
  | 'confirmRecoveryKeyReset'
  | 'listVerifications'
  | 'createVerification'
  | 'getVerification'
  | 'acceptVerification'
  | 'cancelVerification'
  | 'startSas'
  | 'confirmSas'
  | 'scanQr'
  | 'confirmQrScanned'
>;
