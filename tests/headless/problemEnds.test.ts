/**
 * One table says how each problem ends a run (src/wording/problems.ts, PROBLEM_ENDS): the runs
 * and `status` take their `error` codes and exit codes from it, and README's table of `error`
 * codes says the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBLEM_ENDS } from '../../src/wording/problems.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** README's `error` codes: `| \`code\` | exit | meaning |`. */
const documented = new Map([...readme.matchAll(/^\| `([a-z-]+)` \| (\d+) \|/gm)].map((match) => [match[1]!, Number(match[2])]));

describe('how problems end a run', () => {
  it.each(Object.entries(PROBLEM_ENDS).filter(([, end]) => end.code))('%s: README documents its code with its exit code', (_kind, end) => {
    expect(documented.get(end.code!)).toBe(end.exitCode);
  });

  it('a problem without a code of its own exits 1, coded by the server (README: "the server\'s code")', () => {
    for (const end of Object.values(PROBLEM_ENDS).filter((end) => !end.code)) expect(end.exitCode).toBe(1);
    expect(readme).toContain("| the server's code | 1 |");
  });
});
