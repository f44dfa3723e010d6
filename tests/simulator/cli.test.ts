import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { describeDemoAccounts, runSimulateCommand } from '../../src/simulator/index.js';
import { closeSimulatorsAfterEach, start } from './helpers.js';

closeSimulatorsAfterEach();

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/runSimulate.ts', import.meta.url));

describe('simulate command', () => {
  it('prints where it listens, hints on stderr, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await vi.waitFor(
        () => {
          const match = /^simulator listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(stdout);
          expect(match).not.toBeNull();
          return match![1]!;
        },
        { timeout: 15_000, interval: 50 },
      );
      expect((await fetch(`${url}/v1/info`)).status).toBe(200);
      expect(stderr).toContain('alice@example.com');
      expect(stderr).toContain('/_sim/code?email=');
      expect(stderr).toContain('profile: lenient');
      // How to connect, and each seeded account with its recovery key (the banner is for the person running it).
      expect(stderr).toContain(`set it up from another terminal: beeper-setup --base-url ${url}`);
      expect(stderr).toMatch(/alice@example\.com .*recovery key: Es[STU]\w \w{4}/);
      expect(stderr).toMatch(/bob@example\.com .*needs the recovery key after verifying; recovery key: Es/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('closed cleanly');
  }, 20_000);

  it('stops on an abort signal', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const writeErr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const controller = new AbortController();
      const running = runSimulateCommand({ port: 0, signal: controller.signal });
      await vi.waitFor(() => expect(write).toHaveBeenCalled());
      const url = /listening on (\S+)/.exec(String(write.mock.calls[0]?.[0]))?.[1];
      expect((await fetch(`${url}/v1/info`)).status).toBe(200);
      controller.abort();
      await running;
      await expect(fetch(`${url}/v1/info`)).rejects.toThrow();
    } finally {
      write.mockRestore();
      writeErr.mockRestore();
    }
  });
});

describe('strict option', () => {
  it('starts the strict profile and says so', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const writeErr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const controller = new AbortController();
      const running = runSimulateCommand({ port: 0, strict: true, signal: controller.signal });
      await vi.waitFor(() => expect(write).toHaveBeenCalled());
      const url = /listening on (\S+)/.exec(String(write.mock.calls[0]?.[0]))?.[1];
      expect(writeErr.mock.calls.map((call) => String(call[0])).join('')).toMatch(/^profile: strict /m);
      const { config } = (await fetch(`${url}/_sim/config`).then((r) => r.json())) as { config: { profile: string } };
      expect(config.profile).toBe('strict');
      expect((await fetch(`${url}/v1/info`)).status).toBe(404);
      controller.abort();
      await running;
    } finally {
      write.mockRestore();
      writeErr.mockRestore();
    }
  });
});

describe('demo accounts', () => {
  it('shows recovery keys only through describeDemoAccounts, never in the log', async () => {
    const lines: string[] = [];
    const sim = await start({ log: (line) => lines.push(line), autoOtherDevice: true });
    const described = describeDemoAccounts(sim.control);
    const [alice, bob] = sim.control.accounts();
    expect(described).toHaveLength(2);
    expect(described[0]).toContain('alice@example.com');
    expect(described[0]).toContain(alice!.recoveryKey!);
    expect(described[0]).toContain('Pixel 8');
    expect(described[1]).toContain(bob!.recoveryKey!);
    expect(described[1]).toContain('needs the recovery key');
    expect(lines).toEqual([]);
  });
});
