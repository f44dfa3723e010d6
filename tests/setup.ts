/** Every test asserts something: one that runs no assertion fails (a test that cannot fail is worse than none). */
import { beforeEach, expect } from 'vitest';

beforeEach(() => {
  expect.hasAssertions();
});
