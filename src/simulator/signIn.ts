/** Sign-in by emailed code, and account creation: `start`, `email`, `response`, `register`. */
import type { MatrixCredentials, RegistrationCopy, Session, StartResponse } from '../api/types.js';
import { type AccountStore, emailKey, isValidEmail } from './accounts.js';
import { SimError, invalidState } from './errors.js';
import { randomToken, signInCode, type Rng } from './random.js';
import type { SimAccount } from './types.js';

export const MAX_CODE_ATTEMPTS = 5;

export const REGISTRATION_COPY: RegistrationCopy = {
  title: 'Choose your username',
  usernamePlaceholder: 'Username',
  terms: 'By continuing, you agree to the Terms of Use and acknowledge the Privacy Policy.',
  submit: 'Continue',
};

/** `response` / `register` success, as on the wire. */
export interface SignInAnswer {
  matrix: MatrixCredentials;
  session: Session;
}

/** `response` when the email has no account yet, as on the wire. */
export interface RegistrationAnswer {
  registrationRequired: true;
  setupRequestID: string;
  leadToken: string;
  usernameSuggestions: string[];
  copy: RegistrationCopy;
}

export interface RegisterInput {
  setupRequestID: string;
  leadToken: string;
  username: string;
  acceptTerms: unknown;
}

interface SetupRequest {
  email?: string;
  code?: string;
  attemptsLeft: number;
  /** Why it is dead (410); undefined while it is live. */
  expired?: SimError;
  /** Set once the code matched an email without an account. */
  leadToken?: string;
}

export interface SignInDeps {
  rng: Rng;
  accounts: AccountStore;
  /** Delivers a code: console line, outbox, `mail` event. */
  mail(email: string, code: string): void;
  /** Throws when the app cannot sign in to this email now (signed in to another account). */
  assertCanSignIn(email: string): void;
  signIn(account: SimAccount): SignInAnswer;
}

export class SignInFlow {
  private readonly requests = new Map<string, SetupRequest>();

  constructor(private readonly deps: SignInDeps) {}

  start(): StartResponse {
    const setupRequestID = randomToken(this.deps.rng, 16);
    this.requests.set(setupRequestID, { attemptsLeft: MAX_CODE_ATTEMPTS });
    return { setupRequestID, signInMethods: ['email'] };
  }

  /** Mails a fresh code; a later call replaces the code (and the email). */
  email(setupRequestID: string, email: string): void {
    const request = this.live(setupRequestID);
    if (!isValidEmail(email)) throw new SimError(400, 'INVALID_EMAIL', 'That is not a valid email address.');
    const code = signInCode(this.deps.rng);
    Object.assign(request, { email: emailKey(email), code, attemptsLeft: MAX_CODE_ATTEMPTS, leadToken: undefined });
    this.deps.mail(emailKey(email), code);
  }

  response(setupRequestID: string, response: string): SignInAnswer | RegistrationAnswer {
    const request = this.live(setupRequestID);
    if (!request.code || !request.email) throw invalidState('No code has been sent for this sign-in yet.');
    if (response !== request.code) {
      request.attemptsLeft -= 1;
      if (request.attemptsLeft <= 0) {
        request.expired = tooManyCodes();
        throw request.expired;
      }
      const n = request.attemptsLeft;
      throw new SimError(401, 'INVALID_CODE', `That code is not right. ${n} ${n === 1 ? 'attempt' : 'attempts'} left.`, {
        attemptsLeft: n,
      });
    }
    this.deps.assertCanSignIn(request.email);
    request.code = undefined;
    const account = this.deps.accounts.find(request.email);
    if (account) return this.complete(setupRequestID, account);
    request.leadToken = randomToken(this.deps.rng, 24);
    return {
      registrationRequired: true,
      setupRequestID,
      leadToken: request.leadToken,
      usernameSuggestions: this.deps.accounts.suggestions(request.email),
      copy: { ...REGISTRATION_COPY },
    };
  }

  register(input: RegisterInput): SignInAnswer {
    const request = this.live(input.setupRequestID);
    if (input.acceptTerms !== true) {
      throw new SimError(400, 'TERMS_NOT_ACCEPTED', 'Creating an account needs you to accept the Terms of Use.');
    }
    if (!request.leadToken || !request.email || input.leadToken !== request.leadToken) {
      throw new SimError(400, 'INVALID_LEAD_TOKEN', 'That registration token is not valid for this sign-in.');
    }
    this.deps.assertCanSignIn(request.email);
    const account = this.deps.accounts.find(request.email) ?? this.deps.accounts.register(request.email, input.username);
    return this.complete(input.setupRequestID, account);
  }

  clear(): void {
    this.requests.clear();
  }

  /** Every pending sign-in (and its lead token) expires, as after a long wait; returns how many. */
  expireAll(): number {
    let count = 0;
    for (const request of this.requests.values()) {
      if (request.expired) continue;
      request.expired = new SimError(410, 'SETUP_REQUEST_EXPIRED', 'This sign-in has expired. Start over to get a new code.');
      count += 1;
    }
    return count;
  }

  private complete(setupRequestID: string, account: SimAccount): SignInAnswer {
    const answer = this.deps.signIn(account);
    this.requests.delete(setupRequestID);
    return answer;
  }

  private live(setupRequestID: string): SetupRequest {
    const request = this.requests.get(setupRequestID);
    if (!request) throw new SimError(404, 'SETUP_REQUEST_NOT_FOUND', 'No sign-in with that setup request ID. Start over.');
    if (request.expired) throw request.expired;
    return request;
  }
}

const tooManyCodes = () =>
  new SimError(410, 'SETUP_REQUEST_EXPIRED', 'Too many wrong codes. Start over to get a new code.');
