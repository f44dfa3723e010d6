/** The shell's first lines: what this is, what it is connected to, and step k of n. */
import { Box, Text } from 'ink';
import type { AppInfo } from '../src/api/types.js';
import type { SetupSnapshot } from './StepView.js';
import { useTheme } from './theme.js';
import { Para } from './Para.js';

export const PHASES = ['Connect', 'Sign in', 'Encrypted messages', 'Finish'] as const;

/** Which of PHASES a snapshot belongs to (0-based). */
export function phaseOf(snapshot: SetupSnapshot): number {
  if (snapshot.matches('probing') || snapshot.matches('failed')) return 0;
  if (snapshot.matches('signIn')) return 1;
  if (snapshot.matches('ready')) return 3;
  const state = snapshot.context.session?.state;
  if ((snapshot.matches('waitingForServer') || snapshot.matches('timedOut')) && state === 'needs-first-sync') return 3;
  return 2;
}

/** "Beeper Server 4.2.1 on 127.0.0.1:23373" when the app said who it is, else the address. */
export function describeTarget(app: AppInfo | undefined, baseUrl: string, tokenKey: string = baseUrl): string {
  let where = baseUrl;
  try {
    where = new URL(baseUrl).host;
  } catch {
    // Not a URL: show it as given.
  }
  if (tokenKey.startsWith('ssh://')) where = `${tokenKey.slice('ssh://'.length)} (over ssh)`;
  return app ? `${app.app.name} ${app.app.version} on ${where}` : baseUrl;
}

export interface HeaderProps {
  target: string;
  /** 0-based index into PHASES; undefined hides the step counter. */
  phase?: number | undefined;
  /** Shown after the target, e.g. "simulated". */
  tag?: string | undefined;
}

export function Header({ target, phase, tag }: HeaderProps) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      <Box justifyContent="space-between" flexWrap="wrap">
        <Text bold color={theme.color.accent}>
          Beeper setup
        </Text>
        {phase !== undefined ? (
          <Text color={theme.color.muted}>
            Step {phase + 1} of {PHASES.length}
            {theme.glyph.separator}
            {PHASES[phase]}
          </Text>
        ) : null}
      </Box>
      <Para color={theme.color.muted}>
        {target}
        {tag ? ` (${tag})` : ''}
      </Para>
    </Box>
  );
}
