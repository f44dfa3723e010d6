/** `beeper-setup simulate`, and the demo banner's account description. */
import { BEEPER_PORT } from '../api/types.js';
import type { SimulatorControl } from './control.js';
import { startSimulator } from './server.js';

/** The port Beeper Desktop/Server listens on by default. */
export const DEFAULT_SIMULATOR_PORT = BEEPER_PORT;

export interface SimulateCommandOptions {
  /** Default BEEPER_PORT (Beeper's own, so the wizard's default base URL finds it). */
  port?: number;
  autoOtherDevice?: boolean;
  /** The strict profile (`simulate --strict`): disagrees with clients wherever the contract is silent. */
  strict?: boolean;
  /** Stops the simulator like SIGINT would (tests). */
  signal?: AbortSignal;
  /** How to start beeper-setup here ("node dist/cli.js"), for the line that says how to connect. */
  command?: string;
}

/**
 * Starts the simulator, prints `simulator listening on http://127.0.0.1:PORT` on stdout and a
 * short hint on stderr, and resolves once SIGINT/SIGTERM (or `signal`) has closed it cleanly.
 * The caller then exits 0.
 */
export async function runSimulateCommand(options: SimulateCommandOptions = {}): Promise<void> {
  const simulator = await startSimulator({
    port: options.port ?? DEFAULT_SIMULATOR_PORT,
    autoOtherDevice: options.autoOtherDevice ?? false,
    profile: options.strict ? 'strict' : 'lenient',
  });
  process.stdout.write(`simulator listening on ${simulator.url}\n`);
  const emails = simulator.control.accounts().map((account) => account.email);
  // Beeper's own port needs no flag: the default address finds it.
  const connect = simulator.port === DEFAULT_SIMULATOR_PORT ? '' : ` --base-url ${simulator.url}`;
  process.stderr.write(
    [
      `profile: ${simulator.control.config().profile}${
        options.strict
          ? ' (purpose inferred; only a login verification trusts; unknown body fields refused; methods empty until accepted; the other device shows its QR code only once accepted; millisecond timestamps; extra response fields; no /v1/info)'
          : ''
      }`,
      `set it up from another terminal: ${options.command ?? 'beeper-setup'}${connect}`,
      'accounts (any other email creates a new account):',
      ...describeDemoAccounts(simulator.control).map((line) => `  ${line}`),
      `sign-in codes are printed below and served at GET ${simulator.url}/_sim/code?email=${emails[0] ?? 'EMAIL'}`,
      `control API: ${simulator.url}/_sim/ (code, outbox, accounts, session, other-device, other-device/qr, config, faults, requests, expire-sign-ins, revoke-token, reset) — Ctrl-C stops`,
      '',
    ].join('\n'),
  );

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      options.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop, { once: true });
  });
  await simulator.close();
}

/**
 * Lines for the demo banner describing each account, INCLUDING its recovery key.
 * The only place the simulator hands out keys as text: call it only where showing
 * them is the point (the demo); nothing logs it on its own.
 */
export function describeDemoAccounts(control: SimulatorControl): string[] {
  return control.accounts().map((account) => {
    const kind = account.crossSigning
      ? `existing account, other device "${account.otherDeviceName}"${account.sharesSecrets ? '' : ', needs the recovery key after verifying'}`
      : 'new account, no recovery key yet';
    const key = account.recoveryKey ? `; recovery key: ${account.recoveryKey}` : '';
    return `${account.email} (${account.userID}): ${kind}${key}`;
  });
}
