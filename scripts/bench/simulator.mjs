// The simulator the wizard rows talk to: one child process (`cli.js simulate --port 0`)
// per bench run, driven through its /_sim/ control API.
import { spawn } from 'node:child_process';
import { excerpt } from './stats.mjs';

export async function startSimulator({ node, cli, env }) {
  const child = spawn(node, [cli, 'simulate', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const url = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the simulator did not start within 15 s:\n${excerpt(stderr)}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited (code ${code}) before listening:\n${excerpt(stderr)}`));
    });
  });
  child.stdout.resume();

  async function call(method, path, body) {
    const response = await fetch(`${url}/_sim/${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /_sim/${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  return {
    url,
    pid: child.pid,
    call,
    code: async (email) => (await call('GET', `code?email=${encodeURIComponent(email)}`)).code,
    accounts: async () => (await call('GET', 'accounts')).accounts,
    /** Signs the app out (accounts, outbox and the request log stay). */
    reset: () => call('POST', 'reset'),
    configure: (change) => call('POST', 'config', change),
    otherDevice: (action) => call('POST', 'other-device', { action }),
    /** The whole answer: `requests` (and `maxInFlight` where the simulator offers it). */
    requests: () => call('GET', 'requests'),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}
