/**
 * The --ssh argument: who and where, and the key a tunnel's token is saved under.
 * Apart from the tunnel itself (ssh.ts), so `status` and `logout` load no child_process.
 */
import { CliError, ExitCode } from './exitCodes.js';

export interface SshTarget {
  user: string | undefined;
  host: string;
  port: number | undefined;
}

const usage = (message: string) =>
  new CliError(message, ExitCode.Usage, 'Write it as --ssh host, --ssh user@host or --ssh user@host:2222 (the ssh port).');

export function parseSshSpec(spec: string): SshTarget {
  const text = spec.trim();
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  let rest = at >= 0 ? text.slice(at + 1) : text;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (bracketed) {
    rest = bracketed[1]!;
    port = bracketed[2];
  } else if (rest.split(':').length === 2) {
    [rest, port] = rest.split(':') as [string, string];
  }
  if (!rest || /\s/.test(rest) || rest.startsWith('-')) throw usage(`--ssh needs a host name, not "${spec}".`);
  if (user !== undefined && (!user || /\s/.test(user) || user.startsWith('-'))) throw usage(`--ssh has an unusable user name in "${spec}".`);
  let portNumber: number | undefined;
  if (port !== undefined) {
    portNumber = Number(port);
    if (!/^\d+$/.test(port) || portNumber < 1 || portNumber > 65535) throw usage(`--ssh has a bad port in "${spec}".`);
  }
  return { user, host: rest, port: portNumber };
}

/** What a token reached through a tunnel is saved under: ssh://[user@]host:remotePort. */
export function sshTokenKey(spec: string, remotePort: number): string {
  const { user, host } = parseSshSpec(spec);
  return `ssh://${user ? `${user}@` : ''}${host.includes(':') ? `[${host}]` : host}:${remotePort}`;
}
