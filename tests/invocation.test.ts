/** The command a run suggests for next time is the one that works where it was typed. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressFlags, commandAsInvoked, commandLine } from '../src/invocation.js';

describe('the command as invoked', () => {
  it('from a clone: node and the path from the current folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'inv-'));
    expect(commandAsInvoked({ script: join(root, 'dist/cli.js'), env: { PATH: '/usr/bin' }, cwd: root })).toBe('node dist/cli.js');
    // From a folder beside it, the whole path.
    const elsewhere = mkdtempSync(join(tmpdir(), 'inv-other-'));
    expect(commandAsInvoked({ script: join(root, 'dist/cli.js'), env: { PATH: '/usr/bin' }, cwd: elsewhere })).toBe(`node ${join(root, 'dist/cli.js')}`);
  });

  it('a bin link on PATH (npm link, a global install): its name', () => {
    const bin = mkdtempSync(join(tmpdir(), 'inv-bin-'));
    symlinkSync('/nonexistent/cli.js', join(bin, 'beeper-setup'));
    expect(commandAsInvoked({ script: join(bin, 'beeper-setup'), env: { PATH: `/usr/bin:${bin}` }, cwd: '/' })).toBe('beeper-setup');
    // The same link off PATH is run by its path.
    expect(commandAsInvoked({ script: join(bin, 'beeper-setup'), env: { PATH: '/usr/bin' }, cwd: bin })).toBe('node beeper-setup');
  });

  it('npx of a tarball: npx and the tarball relative to the current folder; of the registry: npx beeper-setup', () => {
    const home = mkdtempSync(join(tmpdir(), 'inv-npx-'));
    const cache = join(home, '.npm/_npx/96d74160d81f4437');
    mkdirSync(join(cache, 'node_modules/.bin'), { recursive: true });
    const work = join(home, 'work');
    mkdirSync(work);
    const script = join(cache, 'node_modules/.bin/beeper-setup');
    writeFileSync(join(cache, 'package.json'), JSON.stringify({ dependencies: { 'beeper-setup': `file:../../../work/beeper-setup-0.1.0.tgz` } }));
    expect(commandAsInvoked({ script, env: {}, cwd: work })).toBe('npx ./beeper-setup-0.1.0.tgz');
    expect(commandAsInvoked({ script, env: {}, cwd: home })).toBe('npx ./work/beeper-setup-0.1.0.tgz');
    writeFileSync(join(cache, 'package.json'), JSON.stringify({ dependencies: { 'beeper-setup': '^0.1.0' } }));
    expect(commandAsInvoked({ script, env: {}, cwd: work })).toBe('npx beeper-setup');
  });

  it('names the address only when it is not the default one', () => {
    expect(addressFlags({ ssh: undefined, remotePort: 23373, baseUrl: undefined })).toBe('');
    expect(addressFlags({ ssh: undefined, remotePort: 23373, baseUrl: 'http://localhost:23373/' })).toBe('');
    expect(addressFlags({ ssh: undefined, remotePort: 23373, baseUrl: 'http://127.0.0.1:9000' })).toBe('--base-url http://127.0.0.1:9000');
    expect(addressFlags({ ssh: 'admin@box', remotePort: 23374, baseUrl: undefined })).toBe('--ssh admin@box --remote-port 23374');
    expect(commandLine({ command: 'node dist/cli.js', address: '--base-url http://127.0.0.1:9000' }, 'status')).toBe('node dist/cli.js status --base-url http://127.0.0.1:9000');
    expect(commandLine({ command: 'beeper-setup', address: '' })).toBe('beeper-setup');
  });
});
