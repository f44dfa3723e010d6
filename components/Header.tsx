/** The shell's first lines: what this is, what it is connected to, and step k of n. */
import { Box, Text } from 'ink';
import type { AppInfo } from '../src/api/types.js';
import { PHASES, stepOf, type Phase } from '../machines/steps.js';
import type { SetupSnapshot } from './StepView.js';
import { useTheme } from './theme.js';
import { widthOf, wrapLines } from './layout.js';

/** The header's names for the machine's phases (machines/steps.ts), in order. */
export const PHASE_LABELS: Record<Phase, string> = {
  connect: 'Connect',
  'sign-in': 'Sign in',
  encryption: 'Encrypted messages',
  finish: 'Finish',
};

/** The phases a person goes through, counted in the header; connecting is not a step of theirs. */
const COUNTED_PHASES: readonly Phase[] = PHASES.filter((phase) => phase !== 'connect');

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
  /** Columns it is drawn in: its lines are wrapped here, so headerRows knows its height exactly. */
  width: number;
}

/** The target line wraps onto at most this many rows; the rest is cut with "…". */
const TARGET_ROWS = 2;

/** The header's lines at its width: title and step counter (on one line when both fit), then the target. */
function headerLines({ target, phase, tag, title = 'Beeper setup', width }: HeaderProps, separator = ' · '): { title: string; counter: string | undefined; sameLine: boolean; target: string[] } {
  const count = phase !== undefined ? `Step ${phase + 1} of ${COUNTED_PHASES.length}` : undefined;
  const labelled = phase !== undefined ? `${count}${separator}${PHASE_LABELS[COUNTED_PHASES[phase]!]}` : undefined;
  // The phase's name goes where even a line of its own is too narrow for it.
  const counter = labelled && widthOf(labelled) > width ? count : labelled;
  const sameLine = !counter || widthOf(title) + 1 + widthOf(counter) <= width;
  const wrapped = wrapLines(`${target}${tag ? ` (${tag})` : ''}`, width).map((line, i) => (i === 0 ? line : line.replace(/^ /, '')));
  const lines = wrapped.length > TARGET_ROWS ? [...wrapped.slice(0, TARGET_ROWS - 1), `${wrapped.slice(TARGET_ROWS - 1).join(' ')}`] : wrapped;
  return { title, counter, sameLine, target: lines };
}

/** Rows the header takes at its width. */
export function headerRows(props: HeaderProps): number {
  const lines = headerLines(props);
  return (lines.sameLine ? 1 : 2) + lines.target.length;
}

export function Header(props: HeaderProps) {
  const theme = useTheme();
  const lines = headerLines(props, theme.glyph.separator);
  const counter = lines.counter ? (
    <Text color={theme.color.muted} wrap="truncate-end">
      {lines.counter}
    </Text>
  ) : null;
  return (
    <Box flexDirection="column" width={props.width}>
      <Box justifyContent="space-between">
        <Text bold color={theme.color.accent} wrap="truncate-end">
          {lines.title}
        </Text>
        {lines.sameLine ? counter : null}
      </Box>
      {lines.sameLine ? null : counter}
      {lines.target.map((line, i) => (
        <Text key={i} color={theme.color.muted} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
