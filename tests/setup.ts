/**
 * Runs before each test file: every test asserts something (one that runs no assertion fails: a
 * test that cannot fail is worse than none), and a file starts with no secrets remembered by an
 * earlier file in the same worker (the suite shares modules across files; vitest.config.ts).
 */
import { beforeAll, beforeEach, expect } from 'vitest';
import { forgetSecrets } from '../src/shared/redact.js';

beforeAll(() => {
  forgetSecrets();
});

beforeEach(() => {
  expect.hasAssertions();
});
