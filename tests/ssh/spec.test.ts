/** The pure parts of --ssh: the host spec, the token key, the ssh arguments, ssh's failures. */
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exitCodes.js';
import { splitCommand, sshArguments, sshEnvironment, sshFailure, tunnelClosedMessage } from '../../src/ssh.js';
import { parseSshSpec, sshTokenKey } from '../../src/sshTarget.js';

describe('parseSshSpec', () => {
  it.each([
    ['host', { user: undefined, host: 'host', port: undefined }],
    ['deploy@box.example.com', { user: 'deploy', host: 'box.example.com', port: undefined }],
    ['deploy@box:2222', { user: 'deploy', host: 'box', port: 2222 }],
    ['[::1]:2200', { user: undefined, host: '::1', port: 2200 }],
    ['root@[fe80::1]', { user: 'root', host: 'fe80::1', port: undefined }],
    ['fe80::1', { user: undefined, host: 'fe80::1', port: undefined }],
  ])('%s', (spec, expected) => {
    expect(parseSshSpec(spec)).toEqual(expected);
  });

  it.each(['', '-oProxyCommand=evil', 'user@', '@host', 'host:0', 'host:99999', 'host:ssh', 'a b'])('refuses %j as a usage error', (spec) => {
    expect(() => parseSshSpec(spec)).toThrow(expect.objectContaining({ exitCode: ExitCode.Usage }));
  });
});

describe('sshTokenKey', () => {
  it('names the user, the host and the remote API port, not the ssh port', () => {
    expect(sshTokenKey('deploy@box:2222', 23373)).toBe('ssh://deploy@box:23373');
    expect(sshTokenKey('box', 8080)).toBe('ssh://box:8080');
    expect(sshTokenKey('[::1]:22', 23373)).toBe('ssh://[::1]:23373');
  });
});

describe('splitCommand (BEEPER_SETUP_SSH_COMMAND)', () => {
  it('splits like a shell, with quotes and backslashes', () => {
    expect(splitCommand('ssh -i "/keys/my key" -o \'UserKnownHostsFile=/dev/null\' a\\ b')).toEqual([
      'ssh',
      '-i',
      '/keys/my key',
      '-o',
      'UserKnownHostsFile=/dev/null',
      'a b',
    ]);
    expect(splitCommand('  ssh  ')).toEqual(['ssh']);
    expect(splitCommand('ssh ""')).toEqual(['ssh', '']);
  });

  it('refuses an unclosed quote', () => {
    expect(() => splitCommand('ssh "-i key')).toThrow(/unclosed quote/);
  });
});

describe('sshArguments', () => {
  it('forwards a loopback port to the remote loopback API, batch mode only without a terminal', () => {
    const target = { user: 'deploy', host: 'box', port: 2222 };
    const batch = sshArguments(target, 40000, 23373, true);
    expect(batch).toEqual([
      '-N',
      '-o', 'ExitOnForwardFailure=yes',
      '-o', 'BatchMode=yes',
      '-o', 'ConnectTimeout=15',
      '-o', 'ServerAliveInterval=30',
      '-L', '127.0.0.1:40000:127.0.0.1:23373',
      '-p', '2222',
      '--',
      'deploy@box',
    ]);
    expect(sshArguments({ ...target, port: undefined }, 40000, 23373, false)).not.toContain('BatchMode=yes');
    expect(sshArguments({ ...target, port: undefined }, 40000, 23373, false)).not.toContain('-p');
  });
});

describe('sshFailure', () => {
  const box = { user: undefined, host: 'box', port: undefined };

  it('reports a refused login as exit 1', () => {
    const error = sshFailure('Warning: Permanently added \'box\' (ED25519) to the list of known hosts.\r\nroot@box: Permission denied (publickey).\n', box, 255);
    expect(error.exitCode).toBe(ExitCode.Error);
    expect(error.message).toBe('ssh could not log in to box: root@box: Permission denied (publickey).');
  });

  it('reports an unreachable host as exit 5', () => {
    for (const stderr of [
      'ssh: connect to host 127.0.0.1 port 1: Connection refused',
      'ssh: Could not resolve hostname nowhere.invalid: Name or service not known',
      'ssh: connect to host 10.255.255.1 port 22: Connection timed out',
    ]) {
      const error = sshFailure(`${stderr}\n`, box, 255);
      expect(error.exitCode).toBe(ExitCode.Unreachable);
      expect(error.message).toBe(`Could not reach box over ssh: ${stderr}`);
    }
  });

  it('quotes the last line of anything else', () => {
    expect(sshFailure('something odd\nfinal words\n', box, 1).message).toBe('ssh to box stopped (exit code 1): final words');
  });

  it('reports a host key ssh does not know yet as exit 5, naming ssh-keyscan and accept-new', () => {
    for (const stderr of [
      'Host key verification failed.',
      'No ED25519 host key is known for [box]:2222 and you have requested strict checking.\nHost key verification failed.',
    ]) {
      const error = sshFailure(`${stderr}\n`, { user: 'deploy', host: 'box', port: 2222 }, 255);
      expect(error.exitCode).toBe(ExitCode.Unreachable);
      expect(error.message).toBe('ssh does not know the host key of box yet, and without a terminal nobody can confirm it: the tunnel was not opened.');
      expect(error.hint).toContain('ssh-keyscan -p 2222 box >> ~/.ssh/known_hosts');
      expect(error.hint).toContain('StrictHostKeyChecking=accept-new');
    }
    expect(sshFailure('Host key verification failed.\n', box, 255, false).message).toBe('ssh does not know the host key of box yet: the tunnel was not opened.');
    expect(sshFailure('Host key verification failed.\n', box, 255).hint).toContain('ssh-keyscan box >>');
  });

  it('reports a changed host key as exit 1, never suggesting to accept it blindly', () => {
    const stderr = [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
      'Host key for [box]:2222 has changed and you have requested strict checking.',
      'Host key verification failed.',
    ].join('\n');
    const error = sshFailure(stderr, box, 255);
    expect(error.exitCode).toBe(ExitCode.Error);
    expect(error.message).toContain('its host key is not the one in known_hosts');
    expect(error.hint).toContain('ssh-keygen -R box');
    expect(`${error.message} ${error.hint}`).not.toContain('accept-new');
  });
});

describe('tunnelClosedMessage', () => {
  it('names the tunnel, the host, how ssh ended and its last words', () => {
    const target = { user: 'deploy', host: 'box', port: 2222 };
    expect(tunnelClosedMessage(target, 'ssh://deploy@box:23373', 255, null, 'Connection to box closed by remote host.\n')).toBe(
      'The ssh tunnel to deploy@box:2222 (ssh://deploy@box:23373) closed: ssh exited with status 255 (Connection to box closed by remote host).',
    );
    expect(tunnelClosedMessage({ user: undefined, host: '::1', port: undefined }, 'ssh://[::1]:23373', null, 'SIGKILL', '')).toBe(
      'The ssh tunnel to [::1] (ssh://[::1]:23373) closed: ssh was stopped by SIGKILL.',
    );
  });
});

describe('sshEnvironment', () => {
  it('keeps what ssh needs and drops every BEEPER_* variable, secrets first', () => {
    const env = sshEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/ops',
      SSH_AUTH_SOCK: '/tmp/agent.sock',
      BEEPER_RECOVERY_KEY: 'EsTc …',
      BEEPER_ACCESS_TOKEN: 'token',
      BEEPER_SETUP_SSH_COMMAND: 'ssh -i key',
      beeper_recovery_key: 'lower case too',
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/ops', SSH_AUTH_SOCK: '/tmp/agent.sock' });
  });
});
