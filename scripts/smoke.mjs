// The built CLI on another Node (22, 24 …), end to end against the simulator: --version, --help,
// status before setup, a headless setup (the emailed code on stdin, the recovery key from a file),
// and status after it. `node scripts/smoke.mjs --node PATH` after `npm run build`; exit 0 when all
// of it held. The simulator runs on this Node; only the CLI under test runs on the other one.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const at = process.argv.indexOf('--node');
const node = at > 0 ? process.argv[at + 1] : process.execPath;
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'beeper-setup-smoke-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, XDG_CONFIG_HOME: join(scratch, 'config'), LANG: 'C.UTF-8', NO_COLOR: '1' };

/** Runs the CLI on the Node under test; `feed` may write to its stdin while it runs. */
function run(args, feed) {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [cli, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, events: stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)) });
    });
    if (feed) feed(child);
    else child.stdin.end();
  });
}

function check(what, ok, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok || !detail ? '' : `\n${detail}`}`);
  if (!ok) process.exitCode = 1;
}

const sim = spawn(process.execPath, [cli, 'simulate', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
try {
  const url = await new Promise((resolve, reject) => {
    let out = '';
    sim.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    sim.on('exit', () => reject(new Error(`the simulator stopped: ${out}`)));
  });
  const nodeVersion = (await new Promise((resolve) => {
    const child = spawn(node, ['--version']);
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.on('close', () => resolve(text.trim()));
  }));
  console.log(`beeper-setup ${version} on node ${nodeVersion} (${node}), simulator at ${url}`);

  const versionRun = await run(['--version']);
  check('--version prints the package version', versionRun.code === 0 && versionRun.stdout === `${version}\n`, versionRun.stderr);
  const helpRun = await run(['--help']);
  check('--help prints the usage', helpRun.code === 0 && helpRun.stdout.includes('Usage'), helpRun.stderr);

  const before = await run(['status', '--json', '--base-url', url]);
  check('status before setup: exit 4, needs-login', before.code === 4 && before.events.at(-1)?.state === 'needs-login', before.stdout + before.stderr);

  const accounts = await (await fetch(`${url}/_sim/accounts`)).json();
  const keyFile = join(scratch, 'key.txt');
  writeFileSync(keyFile, accounts.accounts.find((account) => account.email === 'alice@example.com').recoveryKey, { mode: 0o600 });
  const setup = await run(['--base-url', url, '--email', 'alice@example.com', '--recovery-key-file', keyFile, '--json'], (child) => {
    // The code is mailed once the sign-in starts: answer the prompt with it.
    const poll = setInterval(async () => {
      const answer = await fetch(`${url}/_sim/code?email=alice@example.com`).catch(() => undefined);
      if (!answer?.ok) return;
      clearInterval(poll);
      child.stdin.end(`${(await answer.json()).code}\n`);
    }, 100);
    child.on('close', () => clearInterval(poll));
  });
  check('headless setup with the recovery key: exit 0, ready', setup.code === 0 && setup.events.at(-1)?.event === 'ready', setup.stdout + setup.stderr);

  const after = await run(['status', '--json', '--base-url', url]);
  check('status after setup: exit 0, ready, the saved token used', after.code === 0 && after.events.at(-1)?.ready === true && after.events.at(-1)?.tokenSource === 'saved', after.stdout + after.stderr);
} finally {
  sim.kill();
  rmSync(scratch, { recursive: true, force: true });
}
