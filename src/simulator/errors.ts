/** Errors the simulator answers with: always JSON `{ code, message, details? }`. */

export interface Issue {
  code: string;
  message: string;
  path: (string | number)[];
}

export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'SimError';
  }

  toBody(): { code: string; message: string; details?: Record<string, unknown> } {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export const unauthorized = () => new SimError(401, 'UNAUTHORIZED', 'Missing or invalid access token.');

export const invalidState = (message: string) => new SimError(409, 'INVALID_STATE', message);

export function validationError(issues: Issue[]): SimError {
  const summary = issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
  return new SimError(400, 'VALIDATION_ERROR', `Invalid request body: ${summary.join('; ')}`, { issues });
}
