/** The error of class `kind` that `run` throws; any other error is rethrown, and no error fails the test. */
export function thrown<E extends Error>(kind: new (...args: never[]) => E, run: () => unknown, what = 'it'): E {
  try {
    run();
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected ${what} to throw a ${kind.name}`);
}
