// The measurements behind each row of the table. Every function takes the bench context
// (see bench.mjs) and resolves with { lines, data }: `lines` for the table (table.mjs),
// `data` for the JSON file. Ratio rows alternate `node -e 0` and the target (ABBA order)
// after one unrecorded warm-up of each, and report medians.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from './process.mjs';
import { startCountingProxy } from './proxy.mjs';
import { PtySession } from './pty.mjs';
import { cpuSecondsOf, memoryOf } from './sampling.mjs';
import { excerpt, max, median, since, now, sleep } from './stats.mjs';

const EMAIL = 'alice@example.com';
const PROMPT = 'Sign in to Beeper';
const WAITING = 'Waiting for your other device (Pixel 8) to accept';
/** Time the waiting screen gets to draw itself before the window opens. */
const SETTLE_MS = 1000;

/** Runs baseline and target `rounds` times, alternating which goes first, after a warm-up of each. */
async function interleave(rounds, baseline, target) {
  await baseline();
  await target();
  const result = { baseline: [], target: [] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      result.baseline.push(await baseline());
      result.target.push(await target());
    } else {
      result.target.push(await target());
      result.baseline.push(await baseline());
    }
  }
  return result;
}

const pick = (samples, key) => samples.map((sample) => sample[key]);

/**
 * A table line comparing a median time to the interleaved `node -e 0` median. The JSON also
 * gets the median of the per-round ratios (each target run over the baseline run beside it),
 * which drifting load disturbs less; the table shows the plain ratio of the two medians.
 */
function ratioLine(id, label, samples, baselineSamples, limit) {
  const value = median(samples);
  const baseline = median(baselineSamples);
  const pairedRatio = median(samples.map((sample, round) => sample / baselineSamples[round]));
  return { id, label, value, unit: 'ms', baseline, ratio: value / baseline, pairedRatio, target: { ratio: limit } };
}

/** `node -e 0` spawned like the target rows it is compared with; with rss, a second run measures its peak RSS. */
function processBaseline(ctx, { rss = false } = {}) {
  const once = async (measureRss) => {
    const home = ctx.home();
    const result = await runProcess({ file: ctx.node, args: ['-e', '0'], env: home.env, cwd: ctx.root, rss: measureRss });
    home.dispose();
    return result;
  };
  return async () => ({ ms: (await once(false)).ms, ...(rss ? { peakRssMb: (await once(true)).peakRssMb } : {}) });
}

function ptyBaseline(ctx) {
  return async () => {
    const home = ctx.home();
    const session = new PtySession({ file: ctx.node, args: ['-e', '0'], env: home.env, cwd: ctx.root });
    const exit = await session.exited;
    home.dispose();
    return { ms: exit.ms };
  };
}

function expectExit(result, codes, what) {
  if (!codes.includes(result.exitCode)) {
    throw new Error(`${what} exited ${result.exitCode ?? result.signal} (expected ${codes.join(' or ')}):\n${excerpt(result.stderr)}`);
  }
}

/** --version and --help: spawn to exit, no terminal. */
export async function startup(ctx) {
  const lines = [];
  const data = {};
  for (const [id, flag] of [['version', '--version'], ['help', '--help']]) {
    if (!ctx.selected(id)) continue;
    const runs = await interleave(ctx.runs, processBaseline(ctx), async () => {
      const home = ctx.home();
      const result = await runProcess({ file: ctx.node, args: [ctx.cli, flag], env: home.env, cwd: ctx.root });
      home.dispose();
      expectExit(result, [0], `beeper-setup ${flag}`);
      return { ms: result.ms };
    });
    data[id] = runs;
    lines.push(ratioLine(id, `${flag} (start to exit)`, pick(runs.target, 'ms'), pick(runs.baseline, 'ms'), 1.5));
  }
  return { lines, data };
}

/** One wizard start in a pty: ms to the first printable output and to the email prompt. */
async function wizardToPrompt(ctx, args) {
  const home = ctx.home();
  const session = new PtySession({ file: ctx.node, args: [ctx.cli, ...args], env: home.env, cwd: ctx.root });
  try {
    const promptMs = await session.waitFor(PROMPT);
    return { firstTextMs: session.firstPrintableMs, promptMs };
  } finally {
    await session.kill();
    home.dispose();
  }
}

/** The wizard against the simulator: first text, and the email prompt (the server answered). */
export async function wizard(ctx) {
  const runs = await interleave(ctx.runs, ptyBaseline(ctx), async () => {
    await ctx.sim.reset();
    return wizardToPrompt(ctx, ['--base-url', ctx.sim.url]);
  });
  const baseline = pick(runs.baseline, 'ms');
  return {
    data: runs,
    lines: [
      ratioLine('first-text', 'wizard first text (pty)', pick(runs.target, 'firstTextMs'), baseline, 2.5),
      ratioLine('prompt', 'wizard email prompt (simulator)', pick(runs.target, 'promptMs'), baseline, 3.0),
    ],
  };
}

export async function demo(ctx) {
  const runs = await interleave(ctx.runs, ptyBaseline(ctx), () => wizardToPrompt(ctx, ['--demo']));
  return { data: runs, lines: [ratioLine('demo', '--demo email prompt (pty)', pick(runs.target, 'promptMs'), pick(runs.baseline, 'ms'), 3.5)] };
}

/** `status --json` against the simulator (signed out: exit 4 is its answer). Time unwrapped, RSS in a separate run per round. */
export async function status(ctx) {
  const args = [ctx.cli, 'status', '--json', '--base-url', ctx.sim.url];
  const once = async (rss) => {
    const home = ctx.home();
    const result = await runProcess({ file: ctx.node, args, env: home.env, cwd: ctx.root, rss });
    home.dispose();
    expectExit(result, [0, 4], 'beeper-setup status --json');
    if (!/"event":"status"/.test(result.stdout)) throw new Error(`status --json printed no status event:\n${result.stdout.slice(0, 400)}`);
    return result;
  };
  await ctx.sim.reset();
  const runs = await interleave(ctx.runs, processBaseline(ctx, { rss: true }), async () => {
    const timed = await once(false);
    const measured = await once(true);
    return { ms: timed.ms, peakRssMb: measured.peakRssMb };
  });
  return {
    data: runs,
    lines: [
      ratioLine('status', 'status --json (simulator)', pick(runs.target, 'ms'), pick(runs.baseline, 'ms'), 2.5),
      { id: 'status', label: 'status --json peak RSS', value: median(pick(runs.target, 'peakRssMb')), unit: 'MB', baseline: median(pick(runs.baseline, 'peakRssMb')), target: { max: 70 } },
    ],
  };
}

/** The unattended recovery-key flow as alice; the code goes to stdin when the code prompt event arrives. */
export async function headless(ctx) {
  const account = (await ctx.sim.accounts()).find((entry) => entry.email === EMAIL);
  const keyFile = join(ctx.scratch, 'alice-recovery-key.txt');
  ctx.writeSecret(keyFile, `${account.recoveryKey}\n`);
  const once = async () => {
    await ctx.sim.reset();
    const home = ctx.home();
    let answered = false;
    let seen = '';
    const result = await runProcess({
      file: ctx.node,
      args: [ctx.cli, '--email', EMAIL, '--recovery-key-file', keyFile, '--json', '--base-url', ctx.sim.url],
      env: home.env,
      cwd: ctx.root,
      rss: true,
      onStdout: (chunk, child) => {
        seen += chunk;
        if (answered || !/"event":"prompt","for":"code"/.test(seen)) return;
        answered = true;
        ctx.sim.code(EMAIL).then(
          (code) => child.stdin.end(`${code}\n`),
          (error) => {
            console.error(`no sign-in code for ${EMAIL}: ${error.message}`);
            child.kill();
          },
        );
      },
    });
    home.dispose();
    expectExit(result, [0], 'the headless recovery flow');
    return { ms: result.ms, peakRssMb: result.peakRssMb };
  };
  const runs = await interleave(ctx.runs, processBaseline(ctx, { rss: true }), once);
  await ctx.sim.reset();
  return {
    data: runs,
    lines: [
      { id: 'headless', label: 'headless recovery flow (time, info)', value: median(pick(runs.target, 'ms')), unit: 'ms' },
      { id: 'headless', label: 'headless recovery flow peak RSS', value: median(pick(runs.target, 'peakRssMb')), unit: 'MB', baseline: median(pick(runs.baseline, 'peakRssMb')), target: { max: 70 } },
    ],
  };
}

/** Types `text` and waits until the screen echoes `echo`. */
async function type(session, text, echo) {
  const from = session.mark();
  session.write(text);
  await session.waitFor(echo, { from });
}

/** Milliseconds from sending `action` for the other device to `text` on the screen. */
async function changeToScreen(ctx, session, action, text) {
  const shown = session.waitFor(text, { from: session.mark() });
  const sent = since(session.started);
  await ctx.sim.otherDevice(action);
  return (await shown) - sent;
}

/** Requests that ended in [from, to] (epoch ms) of the simulator's log, with what its entries allow. */
function simulatorWindow(answer, from, to) {
  const entries = answer.requests.filter((entry) => entry.at >= from && entry.at <= to);
  const figures = { count: entries.length, maxInFlight: undefined, maxInFlightSource: undefined };
  if (entries.length && entries.every((entry) => Number.isFinite(entry.startedAt))) {
    figures.maxInFlight = maxOverlap(entries.map((entry) => [entry.startedAt, entry.at]));
    figures.maxInFlightSource = 'startedAt';
  } else if (Number.isFinite(answer.maxInFlight)) {
    figures.maxInFlight = answer.maxInFlight;
    figures.maxInFlightSource = 'maxInFlight (whole simulator run)';
  }
  return figures;
}

/** Most intervals open at once; one that ends when another starts does not overlap it. */
function maxOverlap(intervals) {
  const events = intervals.flatMap(([start, end]) => [[start, 1], [end, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, step] of events) most = Math.max(most, (open += step));
  return most;
}

/** One wizard session to the waiting screen, the measuring window, then two polled changes. */
async function waitingSession(ctx, proxy) {
  await ctx.sim.reset();
  const home = ctx.home();
  const session = new PtySession({ file: ctx.node, args: [ctx.cli, '--base-url', proxy.url], env: home.env, cwd: ctx.root });
  try {
    await session.waitFor(PROMPT);
    await type(session, EMAIL, `Email: ${EMAIL}`);
    session.write('\r');
    await session.waitFor(`We sent a sign-in code to ${EMAIL}`);
    const code = await ctx.sim.code(EMAIL);
    await type(session, code, `Code: ${code}`);
    session.write('\r');
    await session.waitFor('Verify this device');
    session.write('\r'); // 1. Use another device
    await session.waitFor(WAITING);
    await sleep(SETTLE_MS);

    const start = { mark: session.mark(), cpu: cpuSecondsOf(session.pid), wall: Date.now(), clock: now() };
    proxy.startWindow();
    await sleep(ctx.waitSeconds * 1000);
    const seconds = since(start.clock) / 1000;
    const end = { mark: session.mark(), cpu: cpuSecondsOf(session.pid), wall: Date.now() };
    const proxied = proxy.window();
    const memory = memoryOf(session.pid);
    const simulated = simulatorWindow(await ctx.sim.requests(), start.wall, end.wall);
    if (session.exit) throw new Error(`the wizard exited while waiting:\n${session.tail()}`);
    const traffic = session.traffic(start.mark, end.mark);

    const latencies = {
      accept: await changeToScreen(ctx, session, 'accept', 'Scan this code with your other device'),
    };
    session.write('e');
    await session.waitFor('Compare emojis');
    session.write('y');
    await session.waitFor('to confirm too');
    latencies.confirmSas = await changeToScreen(ctx, session, 'confirm-sas', 'Step 3 of 3');

    return {
      seconds,
      peakRssMb: memory?.peakMb,
      cpuPercent: ((end.cpu - start.cpu) / seconds) * 100,
      bytesPerSecond: traffic.bytes / seconds,
      eraseLinesPerSecond: traffic.eraseLines / seconds,
      proxy: { requestsPerSecond: proxied.requests.length / seconds, maxInFlight: proxied.maxInFlight, requests: proxied.requests.length },
      simulator: { requestsPerSecond: simulated.count / seconds, maxInFlight: simulated.maxInFlight, maxInFlightSource: simulated.maxInFlightSource },
      paths: [...new Set(proxied.requests.map((entry) => `${entry.method} ${entry.path.replace(/verifications\/[^/]+/, 'verifications/ID')}`))],
      latencies,
    };
  } finally {
    await session.kill();
    home.dispose();
    await ctx.sim.reset();
  }
}

/** The wizard sitting on "Waiting for your other device", and the polling behind it. */
export async function waiting(ctx) {
  const proxy = await startCountingProxy(ctx.sim.url);
  const sessions = [];
  try {
    for (let run = 0; run < ctx.waitRuns; run++) {
      ctx.progress(`  waiting session ${run + 1}/${ctx.waitRuns} (${ctx.waitSeconds} s window)`);
      sessions.push(await waitingSession(ctx, proxy));
    }
  } finally {
    await proxy.close();
  }
  const of = (key) => median(pick(sessions, key));
  const latencies = sessions.flatMap((session) => Object.values(session.latencies));
  const simMaxInFlight = max(sessions.map((session) => session.simulator.maxInFlight));
  const polling = {
    requestsPerSecond: median(sessions.map((session) => session.proxy.requestsPerSecond)),
    simulatorRequestsPerSecond: median(sessions.map((session) => session.simulator.requestsPerSecond)),
    maxInFlight: max(sessions.map((session) => session.proxy.maxInFlight)),
    simulatorMaxInFlight: simMaxInFlight,
    simulatorMaxInFlightSource: sessions.find((session) => session.simulator.maxInFlightSource)?.simulator.maxInFlightSource,
    latencyMedianMs: median(latencies),
    latencyMaxMs: max(latencies),
    latencySamples: latencies.length,
    paths: [...new Set(sessions.flatMap((session) => session.paths))],
  };
  const label = 'waiting for other device';
  return {
    data: { sessions, polling },
    polling,
    lines: [
      { id: 'waiting', label: `${label}: peak RSS`, value: of('peakRssMb'), unit: 'MB', target: { max: 80 } },
      { id: 'waiting', label: `${label}: CPU`, value: of('cpuPercent'), unit: '%', target: { max: 1 } },
      { id: 'waiting', label: `${label}: terminal output`, value: of('bytesPerSecond') / 1000, unit: 'kB/s', target: { max: 1 } },
      { id: 'waiting', label: `${label}: erase-line seqs`, value: of('eraseLinesPerSecond'), unit: '/s' },
    ],
  };
}

/** What `npm pack` would publish (from the bench's copy of the package: its build is already there, so no scripts), and the runtime dependencies a user would install. */
export async function pack(ctx) {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ctx.app, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'silent' } });
  if (result.status !== 0) throw new Error(`npm pack --dry-run failed (${result.status}):\n${excerpt(result.stderr)}`);
  const [info] = JSON.parse(result.stdout);
  const manifest = JSON.parse(readFileSync(join(ctx.app, 'package.json'), 'utf8'));
  const dependencies = ['dependencies', 'optionalDependencies', 'peerDependencies'].flatMap((field) => Object.keys(manifest[field] ?? {}));
  return {
    data: { size: info.size, unpackedSize: info.unpackedSize, files: info.files.map((file) => ({ path: file.path, size: file.size })), dependencies },
    lines: [
      { id: 'pack', label: 'npm pack tarball', value: info.size / 1000, unit: 'kB', target: { max: 200 }, note: `${info.files.length} files, ${(info.unpackedSize / 1000).toFixed(0)} kB unpacked` },
      { id: 'pack', label: 'runtime dependencies', value: dependencies.length, unit: '', target: { max: 0 } },
    ],
  };
}

/** Row groups in the order they run; `ids` are what --only selects. */
export const GROUPS = [
  { name: 'startup', ids: ['version', 'help'], run: startup },
  { name: 'wizard', ids: ['first-text', 'prompt'], run: wizard, needsSimulator: true },
  { name: 'demo', ids: ['demo'], run: demo },
  { name: 'status', ids: ['status'], run: status, needsSimulator: true },
  { name: 'headless', ids: ['headless'], run: headless, needsSimulator: true },
  { name: 'waiting', ids: ['waiting', 'polling'], run: waiting, needsSimulator: true },
  { name: 'pack', ids: ['pack'], run: pack },
];
