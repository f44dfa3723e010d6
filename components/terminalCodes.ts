/** Escape sequences for clickable links (OSC 8) and the clipboard (OSC 52). */

/** Text that opens `url` when clicked, where the terminal supports OSC 8. */
export function hyperlink(url: string, text: string = url): string {
  return `\u001B]8;;${url}\u0007${text}\u001B]8;;\u0007`;
}

/**
 * Puts `text` on the clipboard of the terminal the user sits at, even over
 * SSH. Sent plain inside tmux too: with `set-clipboard on` tmux takes it into
 * its buffer and hands it on to the outer terminal (a passthrough wrapper
 * would need `allow-passthrough`, and skip tmux's own buffer). Success cannot
 * be read back.
 */
export function osc52(text: string): string {
  return `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}
