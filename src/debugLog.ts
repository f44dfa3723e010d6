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

  /** Sends lines to `sink` until the returned function restores the previous one. */
  redirect(sink: (line: string) => void): () => void {
    const previous = this.sink;
    this.sink = sink;
    return () => {
      this.sink = previous;
    };
  }
}
