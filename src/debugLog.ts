/** --debug output, kept apart from the run's machinery so main() can hold it before loading any. */

/**
 * Where --debug lines go. Starts as stderr; the Ink wizard points it into the
 * UI while it owns the screen, because a stray stderr line would tear its frame.
 */
export class DebugLog {
  private sink: (line: string) => void;

  constructor(
    readonly enabled: boolean,
    initial: (line: string) => void,
  ) {
    this.sink = initial;
  }

  readonly write = (line: string): void => {
    if (this.enabled) this.sink(line);
  };

  /**
   * Keeps lines back while a question waits on the terminal's line (they would land on it and
   * push what it asks about off the screen); the returned function lets the last ones out.
   */
  hold(keep = 20): () => void {
    const held: string[] = [];
    const restore = this.redirect((line) => void held.push(line));
    return () => {
      restore();
      const dropped = held.length - keep;
      if (dropped > 0) this.write(`(${dropped} earlier debug lines left out while a question was open)`);
      for (const line of held.slice(-keep)) this.write(line);
    };
  }

  /** Sends lines to `sink` until the returned function restores the previous one. */
  redirect(sink: (line: string) => void): () => void {
    const previous = this.sink;
    this.sink = sink;
    return () => {
      this.sink = previous;
    };
  }
}
