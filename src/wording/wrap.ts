/** Lines printed outside Ink (the closing line after a stop) wrap at word boundaries, never mid-word. */

/** Greedy word wrap to `width` columns; a word longer than a line is cut, since nothing else fits. */
export function wrapWords(text: string, width: number): string[] {
  const limit = Math.max(10, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/).filter(Boolean)) {
      let rest = word;
      while ([...rest].length > limit) {
        if (line) lines.push(line);
        line = '';
        lines.push([...rest].slice(0, limit).join(''));
        rest = [...rest].slice(limit).join('');
      }
      if (!line) line = rest;
      else if ([...line].length + 1 + [...rest].length <= limit) line += ` ${rest}`;
      else {
        lines.push(line);
        line = rest;
      }
    }
    lines.push(line);
  }
  return lines;
}
