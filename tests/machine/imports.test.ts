/**
 * The house's floors: the flow stays UI-free (nothing in machines/ imports React, Ink or their
 * helpers), and no module imports from a floor above its own, so the ground (src/shared, the
 * process's own modules) never reaches up into the flow, the screens or headless mode.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = join(ROOT, 'machines/');
/** Every source file under machines/, sub-folders (states/) included. */
const FILES = (readdirSync(DIR, { recursive: true }) as string[]).filter((name) => /\.(ts|tsx)$/.test(name)).sort();
const UI = /^(react|react-dom|ink|@xstate\/react|ink-[\w-]+|@inkjs\/[\w-]+)(\/|$)/;

/** Module specifiers of static imports, re-exports and dynamic imports. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

describe('machines/ is UI-free', () => {
  it('the scanner sees every kind of import', () => {
    const sample = `import React from 'react';\nimport type { Box } from "ink";\nexport { x } from 'ink-spinner';\nimport 'ink/side';\nconst m = await import('@xstate/react');`;
    expect(importsOf(sample).filter((name) => UI.test(name))).toEqual(['react', 'ink', 'ink-spinner', 'ink/side', '@xstate/react']);
    expect(UI.test('xstate')).toBe(false);
    expect(UI.test('inkling')).toBe(false);
  });

  it('has the files we expect to check', () => {
    expect(FILES).toEqual(expect.arrayContaining(['setupMachine.ts', 'actors.ts', 'routing.ts', 'problems.ts', 'api.ts', 'states/signIn.ts', 'states/verification.ts']));
  });

  it.each(FILES)('%s imports no react or ink', (name) => {
    const imports = importsOf(readFileSync(`${DIR}${name}`, 'utf8'));
    expect(imports.filter((specifier) => UI.test(specifier))).toEqual([]);
  });
});

/**
 * The floors, lowest first. A module may import from its own floor and those below, never from
 * one above. A folder ending in "/" holds every module under it; a new module gets a floor here.
 */
const FLOORS: readonly (readonly string[])[] = [
  // The ground: codecs, private files, terminal text, secrets.
  ['src/shared/'],
  // Speaking HTTP, and the simulator that answers it.
  ['src/api/'],
  ['src/simulator/'],
  // The process: its streams and stdin lines, signals, exit codes, the command line, the token store, ssh.
  [
    'src/clock.ts',
    'src/exitCodes.ts',
    'src/signals.ts',
    'src/lines.ts',
    'src/io.ts',
    'src/debugLog.ts',
    'src/youngGeneration.ts',
    'src/args.ts',
    'src/help.ts',
    'src/invocation.ts',
    'src/sshTarget.ts',
    'src/ssh.ts',
    'src/tokenStore.ts',
    'src/runLock.ts',
  ],
  // The flow and the words for it (the words of a new key are used by the flow, the rest describe it).
  ['machines/', 'src/wording/'],
  // A run: its context, its token keeper, the machine wired to both, the demo.
  ['src/tokenKeeper.ts', 'src/runtime.ts', 'src/setupActor.ts', 'src/demo.ts'],
  // The two front ends, then the wiring from the command line down.
  ['components/'],
  ['src/headless/'],
  ['src/interactive.tsx'],
  ['src/main.ts'],
  ['src/executable.ts'],
  ['src/cli.ts'],
];

const floorOf = (module: string): number => FLOORS.findIndex((rooms) => rooms.some((room) => (room.endsWith('/') ? module.startsWith(room) : module === room)));

/** Every module of the program (declaration files aside), as a path from the repository's root. */
const MODULES = ['src', 'machines', 'components']
  .flatMap((dir) => (readdirSync(join(ROOT, dir), { recursive: true }) as string[]).map((name) => `${dir}/${name.split('\\').join('/')}`))
  .filter((path) => /\.tsx?$/.test(path) && !path.endsWith('.d.ts'))
  .sort();

/** The modules a module imports from the program (packages and node: built-ins aside). */
function localImports(module: string): string[] {
  const source = readFileSync(join(ROOT, module), 'utf8');
  return importsOf(source)
    .filter((specifier) => specifier.startsWith('.') && !specifier.endsWith('.json'))
    .map((specifier) => {
      const path = relative(ROOT, resolve(ROOT, dirname(module), specifier)).split('\\').join('/').replace(/\.js$/, '');
      return MODULES.find((candidate) => candidate === `${path}.ts` || candidate === `${path}.tsx`) ?? `${path} (not found)`;
    });
}

/** Imports that climb: to a module on a higher floor than the importer's. */
const climbs = (module: string) => localImports(module).filter((target) => floorOf(target) > floorOf(module));

describe('no import climbs a floor', () => {
  it('every module has a floor, and the floors name no module twice', () => {
    expect(MODULES.filter((module) => floorOf(module) === -1)).toEqual([]);
    const named = FLOORS.flat().filter((room) => !room.endsWith('/'));
    expect(new Set(named).size).toBe(named.length);
  });

  it('the check sees a climb: io.ts reading stdin through headless/ would be one', () => {
    expect(floorOf('src/io.ts')).toBeLessThan(floorOf('src/headless/lines.ts'));
    expect(floorOf('src/shared/qr.ts')).toBeLessThan(floorOf('machines/setupMachine.ts'));
    expect(floorOf('src/args.ts')).toBeLessThan(floorOf('components/Screen.tsx'));
  });

  const ground = MODULES.filter((module) => module.startsWith('src/shared/') || /^src\/[^/]+$/.test(module));
  it.each(ground)('%s imports nothing from a floor above it (headless/, components/, machines/ included)', (module) => {
    expect(localImports(module).filter((target) => target.endsWith('(not found)'))).toEqual([]);
    expect(climbs(module)).toEqual([]);
  });

  it('nor does any other module', () => {
    const others = MODULES.filter((module) => !ground.includes(module));
    expect(others.flatMap((module) => climbs(module).map((target) => `${module} → ${target}`))).toEqual([]);
  });
});
