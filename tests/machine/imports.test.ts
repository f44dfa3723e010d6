/** The flow stays UI-free: nothing in machines/ imports React, Ink or their helpers. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../../machines/', import.meta.url));
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
