/** The shell's first lines: what this is, what it is connected to, and step k of n. */
import { Box, Text } from 'ink';
import type { AppInfo } from '../src/api/types.js';
import { PHASES, stepOf, type Phase } from '../machines/steps.js';
import type { SetupSnapshot } from './StepView.js';
import { useTheme } from './theme.js';
import { Para } from './Para.js';

/** The header's names for the machine's phases (machines/steps.ts), in order. */
export const PHASE_LABELS: Record<Phase, string> = {
  connect: 'Connect',
  'sign-in': 'Sign in',
  encryption: 'Encrypted messages',
  finish: 'Finish',
};

/** The phases a person goes through, counted in the header; connecting is not a step of theirs. */
export const COUNTED_PHASES: readonly Phase[] = PHASES.filter((phase) => phase !== 'connect');

/** Which counted phase a snapshot is in (0-based), as its state declares; undefined while connecting. */
export function phaseOf(snapshot: SetupSnapshot): number | undefined {
  const index = COUNTED_PHASES.indexOf(stepOf(snapshot).phase);
  return index < 0 ? undefined : index;
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
  /** 0-based index into COUNTED_PHASES; undefined hides the step counter. */
  phase?: number | undefined;
  /** Shown after the target, e.g. "simulated". */
  tag?: string | undefined;
  /** The first line's words (default "Beeper setup"). */
  title?: string | undefined;
}

export function Header({ target, phase, tag, title = 'Beeper setup' }: HeaderProps) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      <Box justifyContent="space-between" flexWrap="wrap">
        <Text bold color={theme.color.accent}>
          {title}
        </Text>
        {phase !== undefined ? (
          <Text color={theme.color.muted}>
            Step {phase + 1} of {COUNTED_PHASES.length}
            {theme.glyph.separator}
            {PHASE_LABELS[COUNTED_PHASES[phase]!]}
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
