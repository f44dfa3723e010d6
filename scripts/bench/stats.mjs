// Small numeric helpers shared by the bench modules.

/** Milliseconds since `start` (a process.hrtime.bigint() value). */
export const since = (start) => Number(process.hrtime.bigint() - start) / 1e6;

export const now = () => process.hrtime.bigint();

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Median (mean of the two middle values for an even count); undefined for no values. */
export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function max(values) {
  const finite = values.filter((value) => Number.isFinite(value));
  return finite.length ? Math.max(...finite) : undefined;
}

/** Rounds for JSON output (keeps files readable without losing anything that matters). */
export const round = (value, digits = 2) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);

/** The last `count` non-empty lines of `text`, each cut to `width` characters (minified stack lines are huge). */
export function excerpt(text, count = 8, width = 200) {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(-count)
    .map((line) => (line.length > width ? `${line.slice(0, width)}…` : line))
    .join('\n');
}
