/**
 * --demo: the built-in simulator in this process, on a free port, with an
 * other device that plays along by itself. Its mail and other-device lines
 * go to DemoHandle listeners (the wizard's demo panel), never to stderr,
 * because Ink owns the terminal while the wizard runs.
 */
import type { DemoHandle } from './runtime.js';
import { startSimulator } from './simulator/index.js';

type DemoEvent = Parameters<Parameters<DemoHandle['onEvent']>[0]>[0];

export async function startDemo(): Promise<{ baseUrl: string; handle: DemoHandle; close(): Promise<void> }> {
  const listeners = new Set<(event: DemoEvent) => void>();
  const emit = (event: DemoEvent) => {
    for (const listener of listeners) listener(event);
  };
  // The simulator's console would write to stderr under Ink: drop it, the events below carry the same news.
  const simulator = await startSimulator({ port: 0, autoOtherDevice: true, log: () => {} });
  const { control } = simulator;
  control.on('mail', (message) => emit({ kind: 'mail', text: `Email to ${message.email}: your code is ${message.code}` }));
  control.on('other-device', (text, screen) => emit({ kind: 'other-device', text: `${screen.deviceName}: ${text}` }));

  const accounts = control.accounts();
  // Every seeded account, and what walking it shows: a phone that shares the keys, or one that does not.
  const tries = accounts
    .filter((account) => account.crossSigning)
    .map((account) =>
      account.sharesSecrets
        ? `${account.email} (a phone, "${account.otherDeviceName}", verifies this device)`
        : `${account.email} (its phone verifies, then the recovery key is asked for)`,
    );
  const banner = [
    'Simulation: no real Beeper account is used. Emailed codes and the other device show up here.',
    tries.length > 0 ? `Try ${tries.join(', ')}, or any other email for a new account.` : 'Any email creates a new account.',
    // Every existing account's key: whichever one the user signs in as, the key steps can be finished.
    ...accounts.filter((account) => account.recoveryKey).map((account) => `${account.email.split('@')[0]}'s recovery key: ${account.recoveryKey}`),
  ];

  const handle: DemoHandle = {
    banner,
    accounts: accounts.map((account) => ({ email: account.email, recoveryKey: account.recoveryKey })),
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async scanQr() {
      control.otherDevice('scan-qr');
    },
    scanDelayMs: 5000,
  };
  return {
    baseUrl: simulator.url,
    handle,
    async close() {
      listeners.clear();
      await simulator.close();
    },
  };
}
