/** The --help text: a module of its own, so `beeper-setup --help` loads nothing else. */

export const HELP = `beeper-setup: sign Beeper Desktop or Beeper Server in, trust this
device, and unlock encrypted messages.

Usage
  beeper-setup [flags]          the setup wizard (resumes where the app stands)
  beeper-setup verify [flags]   from a ready app, verify your other device
  beeper-setup status [--json]  what the app reports, changing nothing
  beeper-setup logout           forget the access token saved for this app
  beeper-setup simulate         run the built-in Beeper simulator
                                (--port N, --strict)

Connection
  --base-url URL            Beeper's local API (default
                            http://localhost:23373, or BEEPER_BASE_URL)
  --ssh [user@]host[:port]  set up a remote Beeper Server through ssh
  --remote-port N           the API port on the ssh host (default 23373)
  --allow-insecure-http     send secrets over plain HTTP to another host
  --demo                    the wizard against the built-in simulator

Answers (for scripts; without a terminal they replace the prompts)
  --email EMAIL             the Beeper account's email address
  --code CODE               the emailed code, to continue a pending
                            sign-in (else read from stdin when needed)
  --username NAME           username for a new account
  --accept-terms            agree to Beeper's Terms of Use and Privacy
                            Policy (new accounts)
  --verify METHOD           device | recovery-key | reset
  --qr                      without a full-screen UI: show a QR code to
                            scan instead of comparing emojis
  --recovery-key-file PATH  read the recovery key from a file
  --recovery-key-stdin      read the recovery key from standard input
  --reset-recovery-key      make a new recovery key
  --new-recovery-key-file PATH
                            write a new recovery key here (mode 0600,
                            never overwritten)
  --timeout DURATION        longest wait for the app or another device,
                            e.g. 90s, 10m (default 10m)

verify
  --wait                    wait for a request from the other device
  --user USER_ID            the user whose device to verify
  --qr-file PATH            a QR payload scanned from the other device
                            ("-" reads it from stdin)

Output
  --plain                   line by line, no animation: for screen
                            readers and logs (script, tee)
  --non-interactive         never prompt in a full-screen UI
  --json                    machine-readable NDJSON events on stdout
  --lang CODE               language of the emoji names (e.g. de, ja)
  --no-save-token           keep the access token in memory only
  --print-token             print BEEPER_ACCESS_TOKEN=... when done
  --debug                   show request lines and error details
  -h, --help                show this help
  -v, --version             show the version

Environment
  BEEPER_BASE_URL, BEEPER_ACCESS_TOKEN, BEEPER_RECOVERY_KEY, NO_COLOR, CI
  BEEPER_SETUP_SSH_COMMAND  ssh program and options for --ssh

Exit codes
  0 ready   1 error   2 usage   3 an answer is needed and cannot be asked
  4 not ready (timed out)   5 Beeper unreachable
  129 hung up (SIGHUP)   130 interrupted (Ctrl-C, SIGTERM)
`;
