/** Escape sequences for clickable links (OSC 8) and the clipboard (OSC 52). */

/** Text that opens `url` when clicked, where the terminal supports OSC 8. */
export function hyperlink(url: string, text: string = url): string {
  return `\u001B]8;;${url}\u0007${text}\u001B]8;;\u0007`;
}

/**
 * Puts `text` on the clipboard of the terminal the user sits at, even over
 * SSH. Inside tmux the sequence is wrapped in a passthrough (tmux needs
 * `set-clipboard on` or `allow-passthrough on`). Success cannot be read back.
 */
export function osc52(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const sequence = `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
  if (!env.TMUX) return sequence;
  return `\u001BPtmux;${sequence.replaceAll('\u001B', '\u001B\u001B')}\u001B\\`;
}
