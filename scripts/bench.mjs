// npm run bench: start-up time, peak memory and bundle size of the built CLI.
// Shared, noisy machines: every number is a median of several runs, reported
// next to `node -e 0` measured in the same run, so ratios are what to compare.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}dist/cli.js`;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const hasTime = existsSync('/usr/bin/time');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall time (ms) and peak RSS (MB, when /usr/bin/time exists) of one command, median of RUNS. */
function measure(args, env = {}) {
  const times = [];
  const rss = [];
  for (let i = 0; i < RUNS; i++) {
    const command = hasTime ? '/usr/bin/time' : process.execPath;
    const argv = hasTime ? ['-f', '%M', process.execPath, ...args] : args;
    const started = process.hrtime.bigint();
    const result = spawnSync(command, argv, { env: { ...process.env, CI: 'true', ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (hasTime) {
      const kb = Number(result.stderr.trim().split('\n').pop());
      if (Number.isFinite(kb)) rss.push(kb / 1024);
    }
  }
  return { ms: median(times), mb: rss.length ? median(rss) : undefined };
}

async function startSimulator() {
  const child = spawn(process.execPath, [cli, 'simulate', '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(buffer);
      if (match) resolve(match[1]);
    });
    child.on('exit', () => reject(new Error('simulator exited before listening')));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run npm run build first (npm run bench does).');
  process.exit(1);
}

/** Milliseconds until the Ink wizard's first frame (its title) shows in a real pseudo-terminal (`script`). */
async function firstFrame(url) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const env = { ...process.env, XDG_CONFIG_HOME: `${root}.tmp/bench-config` };
    delete env.CI; // CI=true would pick the plain mode
    const child = spawn('script', ['-qfc', `node ${cli} --base-url ${url}`, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve) => {
      let seen = '';
      child.stdout.on('data', (chunk) => {
        seen += chunk;
        if (seen.includes('Beeper setup')) {
          times.push(Number(process.hrtime.bigint() - started) / 1e6);
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', resolve);
    });
  }
  return times.length ? median(times) : undefined;
}

const baseline = measure(['-e', '0']);
const sim = await startSimulator();
const cases = [
  ['--version', ['--version']],
  ['--help', ['--help']],
  ['status --json (simulator)', ['status', '--json', '--base-url', sim.url]],
];
const rows = cases.map(([name, args]) => ({ name, ...measure([cli, ...args], { XDG_CONFIG_HOME: `${root}.tmp/bench-config` }) }));
const hasScript = spawnSync('script', ['--version']).status === 0;
const wizardMs = hasScript ? await firstFrame(sim.url) : undefined;
sim.stop();

const bundle = readFileSync(cli);
const format = (n, digits = 0) => (n === undefined ? 'n/a' : n.toFixed(digits));
console.log(`runs per case: ${RUNS} (median)`);
console.log(`baseline node -e 0: ${format(baseline.ms)} ms, ${format(baseline.mb, 1)} MB peak RSS`);
for (const row of rows) {
  const ratio = row.ms / baseline.ms;
  console.log(`${row.name.padEnd(28)} ${format(row.ms).padStart(5)} ms  ×${ratio.toFixed(2)} of baseline  ${format(row.mb, 1)} MB peak RSS`);
}
if (wizardMs !== undefined) console.log(`${'wizard first frame (pty)'.padEnd(28)} ${format(wizardMs).padStart(5)} ms  ×${(wizardMs / baseline.ms).toFixed(2)} of baseline`);
else console.log('wizard first frame: skipped (no `script` command for a pseudo-terminal)');
console.log(`bundle dist/cli.js: ${(statSync(cli).size / 1024).toFixed(0)} kB, ${(gzipSync(bundle).length / 1024).toFixed(0)} kB gzipped`);
