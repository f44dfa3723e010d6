/**
 * The one place that knows colours and glyphs. Step components ask for named
 * tokens (`theme.color.error`, `theme.glyph.check`) and never name a colour.
 * What the terminal can do (colour, Unicode, clickable links) is detected once
 * here and handed down through TerminalContext, so tests can pin it.
 */
import { createContext, useContext } from 'react';
import { showsUnicode } from '../src/shared/locale.js';

export interface TerminalCaps {
  /** False under NO_COLOR (any non-empty value). */
  color: boolean;
  /** False for non-UTF-8 locales and the Linux console: no emoji, no box drawing. */
  unicode: boolean;
  /** OSC 8 hyperlinks: only where the terminal is known to support them. */
  hyperlinks: boolean;
}

export function detectTerminal(env: NodeJS.ProcessEnv = process.env): TerminalCaps {
  const unicode = showsUnicode(env);
  const program = env.TERM_PROGRAM ?? '';
  const vte = Number(env.VTE_VERSION ?? 0);
  const hyperlinks =
    !env.TMUX &&
    env.TERM !== 'linux' &&
    (['iTerm.app', 'WezTerm', 'vscode', 'ghostty', 'Hyper'].includes(program) ||
      !!env.WT_SESSION ||
      !!env.KITTY_WINDOW_ID ||
      vte >= 5000);
  return { color: !env.NO_COLOR, unicode, hyperlinks };
}

export const TerminalContext = createContext<TerminalCaps>(detectTerminal());

type Tone = 'accent' | 'muted' | 'error' | 'warning' | 'success' | 'key' | 'link' | 'secret';

export interface Theme {
  caps: TerminalCaps;
  /** Undefined under NO_COLOR, so `<Text color={...}>` adds no colour at all. */
  color: Record<Tone, string | undefined>;
  glyph: {
    check: string;
    cross: string;
    warning: string;
    pointer: string;
    bullet: string;
    separator: string;
    mask: string;
    ellipsis: string;
    /** The arrow keys, as a key hint: "↑↓". */
    upDown: string;
    dash: string;
  };
  spinner: 'dots' | 'line';
  border: 'round' | 'classic';
}

const PALETTE: Record<Tone, string> = {
  accent: 'cyan',
  muted: 'gray',
  error: 'red',
  warning: 'yellow',
  success: 'green',
  key: 'cyan',
  link: 'blue',
  secret: 'magenta',
};

export function makeTheme(caps: TerminalCaps): Theme {
  const color = Object.fromEntries(
    (Object.keys(PALETTE) as Tone[]).map((tone) => [tone, caps.color ? PALETTE[tone] : undefined]),
  ) as Record<Tone, string | undefined>;
  const u = caps.unicode;
  return {
    caps,
    color,
    glyph: {
      check: u ? '✓' : 'OK',
      cross: u ? '✗' : 'x',
      warning: u ? '⚠' : '!',
      pointer: u ? '›' : '>',
      bullet: u ? '•' : '*',
      separator: u ? ' · ' : ' | ',
      mask: u ? '•' : '*',
      ellipsis: u ? '…' : '...',
      upDown: u ? '↑↓' : 'Up/Down',
      dash: u ? '—' : '-',
    },
    spinner: u ? 'dots' : 'line',
    border: u ? 'round' : 'classic',
  };
}

export function useTheme(): Theme {
  return makeTheme(useContext(TerminalContext));
}
