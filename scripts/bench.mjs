// npm run bench: every row of the performance table, as ratios to `node -e 0` run with the
// same node binary, interleaved in the same run (the machines are shared and noisy, so only
// ratios measured side by side mean much). Prints the table with targets and PASS/MISS and
// writes every figure to JSON. A report, not a test: MISS rows still exit 0.
// The measurements live in scripts/bench/ (rows.mjs says what each row does).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USAGE, parseOptions } from './bench/options.mjs';
import { hasTimeCommand } from './bench/process.mjs';
import { GROUPS } from './bench/rows.mjs';
import { startSimulator } from './bench/simulator.mjs';
import { now, round, since } from './bench/stats.mjs';
import { printPolling, printTable, verdict } from './bench/table.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const builtCli = join(root, 'dist/cli.js');

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!existsSync(builtCli)) {
  console.error('dist/cli.js is missing: run npm run build first (npm run bench does).');
  process.exit(1);
}
const node = resolve(options.node);
const version = spawnSync(node, ['--version'], { encoding: 'utf8' });
if (version.status !== 0) {
  console.error(`--node ${options.node}: cannot run it (${version.error?.message ?? version.stderr.trim()})`);
  process.exit(1);
}
const nodeVersion = version.stdout.trim();

const wallStart = now();
const scratch = mkdtempSync(join(tmpdir(), 'beeper-setup-bench-'));
// Others rebuild dist/cli.js while the bench runs: every row runs one copy taken now
// (in a copy of the package: package.json, where the bundle reads its version, and the
// files npm would publish, so the pack row measures the same build).
const cli = join(scratch, 'app/dist/cli.js');
mkdirSync(dirname(cli), { recursive: true });
const app = join(scratch, 'app');
for (const file of ['package.json', ...JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).files]) {
  if (existsSync(join(root, file))) cpSync(join(root, file), join(app, file), { recursive: true });
}
const bundle = readFileSync(cli);
const progress = (message) => process.stderr.write(`${message}\n`);

/** A clean environment: UTF-8, a real TERM, no CI/NO_COLOR/BEEPER_*, and a private HOME and XDG_CONFIG_HOME (no saved token). */
function home() {
  const dir = mkdtempSync(join(scratch, 'home-'));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', TERM: 'xterm-256color', HOME: dir, XDG_CONFIG_HOME: join(dir, '.config') };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  return { env, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

const selected = (id) => !options.only || options.only.has(id);
const groups = GROUPS.filter((group) => group.ids.some(selected));
const environment = {
  node: nodeVersion,
  nodePath: node,
  benchNode: process.version,
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model?.trim(),
  kernel: release(),
  loadAverageStart: loadavg(),
  bundle: { bytes: bundle.length, sha256: createHash('sha256').update(bundle).digest('hex') },
  peakRssMethod: hasTimeCommand ? '/usr/bin/time -f %M (exact)' : '/proc/PID/status VmHWM sampled every 5 ms',
};

let sim;
const results = [];
const errors = [];
let fatal;
try {
  if (groups.some((group) => group.needsSimulator)) {
    sim = await startSimulator({ node: process.execPath, cli, env: home().env });
    // The other device moves only when the bench says so; short server timings keep runs quick.
    await sim.configure({ autoOtherDevice: false, timings: { initializingMs: 200, firstSyncMs: 300, otherDeviceMs: 200 } });
  }
  const ctx = {
    root,
    app,
    cli,
    node,
    sim,
    scratch,
    runs: options.runs,
    waitRuns: options.waitRuns,
    waitSeconds: options.waitSeconds,
    home,
    selected,
    progress,
    writeSecret(path, text) {
      writeFileSync(path, text, { mode: 0o600 });
      chmodSync(path, 0o600);
    },
  };
  progress(`beeper-setup bench: node ${nodeVersion} (${node}), ${options.runs} rounds per row`);
  for (const group of groups) {
    const started = now();
    progress(`- ${group.name} (${group.ids.filter(selected).join(', ')})…`);
    try {
      const result = await group.run(ctx);
      results.push({ group: group.name, ms: since(started), ...result });
    } catch (error) {
      progress(`  ${group.name} failed: ${error.stack ?? error}`);
      errors.push({ group: group.name, ids: group.ids.filter(selected), message: String(error.message ?? error) });
    }
  }
} catch (error) {
  fatal = error;
} finally {
  await sim?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
if (fatal) {
  console.error(`bench failed: ${fatal.message}`);
  process.exit(1);
}

environment.loadAverageEnd = loadavg();
const wallMs = since(wallStart);
const lines = results.flatMap((result) => result.lines).filter((line) => selected(line.id));
const polling = results.find((result) => result.polling)?.polling;
const load = (values) => values.map((value) => value.toFixed(2)).join(' ');

console.log('');
console.log(`beeper-setup bench — node ${nodeVersion} (${node}); medians of ${options.runs} round${options.runs === 1 ? '' : 's'}, each interleaved with node -e 0 of the same node`);
console.log('');
console.log(printTable(lines, errors));
if (polling) {
  console.log('');
  console.log(printPolling(polling, { sessions: options.waitRuns, seconds: options.waitSeconds }));
}
console.log('');
console.log(
  `environment: node ${nodeVersion}, ${environment.cpus} CPUs (${environment.cpuModel}), Linux ${environment.kernel}; ` +
    `load average (1/5/15 min) ${load(environment.loadAverageStart)} at start, ${load(environment.loadAverageEnd)} at end; ` +
    `dist/cli.js ${(bundle.length / 1000).toFixed(0)} kB sha256 ${environment.bundle.sha256.slice(0, 12)}; peak RSS by ${environment.peakRssMethod}`,
);
console.log(
  '* shared, noisy machine: absolute times move with the load of other jobs; each ratio compares runs made side by side ' +
    '(alternating, after a warm-up), so compare ratios, and rerun a MISS that is close to its target. ' +
    'Terminal rows (pty) use node -e 0 in the same pty, spawn to exit, as their baseline.',
);
console.log(`bench wall time: ${(wallMs / 1000).toFixed(1)} s`);

const jsonPath = resolve(options.json);
const roundDeep = (value) =>
  typeof value === 'number' ? round(value, 3) : Array.isArray(value) ? value.map(roundDeep) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, roundDeep(entry)])) : value;
mkdirSync(dirname(jsonPath), { recursive: true });
writeFileSync(
  jsonPath,
  `${JSON.stringify(
    roundDeep({
      date: new Date().toISOString(),
      options: { ...options, only: options.only && [...options.only] },
      environment,
      wallMs,
      rows: lines.map((line) => ({ ...line, result: verdict(line) || 'report' })),
      polling,
      errors,
      raw: Object.fromEntries(results.map((result) => [result.group, { ms: result.ms, ...result.data }])),
    }),
    null,
    2,
  )}\n`,
);
console.log(`figures: ${jsonPath}`);
process.exitCode = errors.length ? 1 : 0;
