/**
 * The built CLI (dist/, made by globalSetup): the quick answers are the ones main() gives, and
 * code splitting keeps the wizard's weight (React, Ink, yoga) off every path that draws no wizard.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { HELP } from '../../src/help.js';
import { CLI, ROOT } from '../headless/helpers.js';

const CHUNKS = join(ROOT, 'dist/chunks');
const run = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });

/** Files a built module loads before it runs: its static imports, and theirs. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*)"\.\/((?:chunks\/)?[\w-]+\.js)"/g)) {
    staticClosure(join(file.endsWith('cli.js') ? join(ROOT, 'dist') : CHUNKS, match[1]!), seen);
  }
  return seen;
}

const entry = (prefix: string) => join(CHUNKS, readdirSync(CHUNKS).find((name) => name.startsWith(`${prefix}-`))!);
/** Marks of the wizard's stack in built code: React's element symbol, the yoga loader. */
const WIZARD_STACK = /react\.transitional\.element|yoga\.wasm\.br/;
const loadsWizardStack = (file: string) => [...staticClosure(file)].some((path) => WIZARD_STACK.test(readFileSync(path, 'utf8')));

describe('the built CLI', () => {
  it('answers --version and --help alone exactly as main() does among other flags', () => {
    expect(run('--version')).toBe(`${pkg.version}\n`);
    expect(run('-v')).toBe(`${pkg.version}\n`);
    expect(run('--help')).toBe(HELP);
    expect(run('-h')).toBe(HELP);
    // With company, main() parses them: the same text.
    expect(run('--help', '--json')).toBe(HELP);
    expect(run('--version', '--debug')).toBe(`${pkg.version}\n`);
  });

  it('a bare --help loads nothing beyond the entry: the build wrote the text in', () => {
    const entrySource = readFileSync(CLI, 'utf8');
    expect(entrySource).toContain(JSON.stringify(HELP).slice(1, 60));
    expect(entrySource).not.toMatch(/chunks\/help-/);
  });

  it('ships the yoga WebAssembly beside the chunks, and every chunk any module imports', () => {
    expect(existsSync(join(CHUNKS, 'yoga.wasm.br'))).toBe(true);
    for (const name of readdirSync(CHUNKS).filter((file) => file.endsWith('.js'))) {
      const source = readFileSync(join(CHUNKS, name), 'utf8');
      for (const match of source.matchAll(/"\.\/([\w-]+\.js)"/g)) expect(existsSync(join(CHUNKS, match[1]!)), `${name} → ${match[1]}`).toBe(true);
    }
  });

  it('keeps React, Ink and yoga off --version, --help, status, logout and headless runs', () => {
    expect(loadsWizardStack(join(ROOT, 'dist/cli.js'))).toBe(false);
    expect(loadsWizardStack(entry('executable'))).toBe(false);
    expect(loadsWizardStack(entry('run'))).toBe(false);
    expect(loadsWizardStack(entry('status'))).toBe(false);
    // The check can fail: the wizard's own chunk does carry them.
    expect(loadsWizardStack(entry('interactive'))).toBe(true);
  });

  it('bundles neither ws, the whole cli-spinners table, nor yoga as base64', () => {
    const all = readdirSync(CHUNKS).filter((file) => file.endsWith('.js')).map((file) => readFileSync(join(CHUNKS, file), 'utf8')).join('\n');
    // Booleans, not the text: a failure would print megabytes.
    expect(/permessage-deflate|Sec-WebSocket-Key/.test(all), 'ws').toBe(false);
    expect(all.includes('dots12'), 'cli-spinners table').toBe(false);
    expect(/data:application\/octet-stream;base64,[A-Za-z0-9+/]{64}/.test(all), 'yoga as base64').toBe(false);
  });
});
