/**
 * The words for an address where Beeper does not answer: nothing answers there (or it stopped answering
 * mid-way), or something answers that is not Beeper. Said once here for every place that says it: the
 * machine's Problem (machines/problems.ts), the wizard's and headless mode's explanation
 * (problems.ts) and `beeper-setup status`. The API's errors carry only the facts (address, reason).
 */
import type { UnreachableReason } from '../api/errors.js';
import { BEEPER_PORT, DEFAULT_BASE_URL } from '../api/types.js';

export interface AddressWords {
  title: string;
  /** What happened, naming the address. */
  message: string;
  /** What to do about it. */
  fix: string;
}

/** Nothing answered at `baseUrl`, or the answer broke off, for `reason`. */
export function explainUnreachable(baseUrl: string, reason: UnreachableReason | undefined): AddressWords {
  switch (reason) {
    // Beeper was there (or answering): starting it or changing the address is not the fix.
    case 'stalled':
    case 'timeout':
      return {
        title: 'Beeper stopped answering',
        message: reason === 'stalled' ? `Beeper at ${baseUrl} began to answer but did not finish in time.` : `Beeper at ${baseUrl} did not answer in time.`,
        fix: 'Wait a moment and try again. If it keeps happening, restart Beeper.',
      };
    case 'dropped':
    case 'reset':
      return {
        title: 'The connection to Beeper dropped',
        message: reason === 'dropped' ? `Beeper at ${baseUrl} was answering when the connection dropped.` : `The connection to Beeper at ${baseUrl} dropped before it answered.`,
        fix: 'Try again: a rerun resumes where Beeper stands. If it keeps happening, restart Beeper.',
      };
    default:
      return {
        title: "Can't reach Beeper",
        message: reason === 'dns' ? `The host in ${baseUrl} could not be found.` : `Nothing answered at ${baseUrl}.`,
        fix: `Start Beeper Desktop or Beeper Server there, or point beeper-setup at another address: beeper-setup --base-url http://HOST:${BEEPER_PORT} (or set BEEPER_BASE_URL).`,
      };
  }
}

/** Something answers at `baseUrl`, but neither as Beeper's /v1/info nor with its setup routes. */
export function explainNotBeeper(baseUrl: string): AddressWords {
  return {
    title: "That doesn't look like Beeper",
    message: `Something answers at ${baseUrl}, but it is not Beeper's API.`,
    fix: `Check the address: Beeper listens on ${DEFAULT_BASE_URL} by default. Point beeper-setup at it with --base-url (or BEEPER_BASE_URL).`,
  };
}
