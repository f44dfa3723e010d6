// The printed report: the table of rows with targets, the polling figures, the environment.

const DIGITS = { ms: 0, MB: 1, '%': 2, 'kB/s': 2, '/s': 1, kB: 1, '': 0 };

export function formatValue(value, unit) {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  const text = value.toFixed(DIGITS[unit] ?? 1);
  return unit ? `${text} ${unit}` : text;
}

/** PASS, MISS, or '' for a line without a target; ERROR when the value could not be measured. */
export function verdict(line) {
  if (!line.target) return '';
  if (line.target.ratio !== undefined) {
    if (!Number.isFinite(line.ratio)) return 'ERROR';
    return line.ratio <= line.target.ratio ? 'PASS' : 'MISS';
  }
  if (!Number.isFinite(line.value)) return 'ERROR';
  return line.value <= line.target.max ? 'PASS' : 'MISS';
}

function targetText(line) {
  if (!line.target) return 'report';
  if (line.target.ratio !== undefined) return `≤ ${line.target.ratio}×`;
  return `≤ ${formatValue(line.target.max, line.unit).replace(/\.0+ /, ' ')}`;
}

function render(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => [...row[column]].length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd());
}

export function printTable(lines, errors) {
  const rows = [['row', 'median', 'node -e 0', 'ratio', 'target', 'result']];
  for (const line of lines) {
    rows.push([
      line.label,
      formatValue(line.value, line.unit),
      line.baseline === undefined ? '' : formatValue(line.baseline, line.unit),
      line.ratio === undefined ? '' : `${Number.isFinite(line.ratio) ? line.ratio.toFixed(2) : 'n/a'}×`,
      targetText(line),
      verdict(line),
    ]);
  }
  for (const { group, ids } of errors) rows.push([`${ids.join(', ')} (${group})`, 'n/a', '', '', '', 'ERROR']);
  const out = render(rows);
  out.splice(1, 0, '-'.repeat(Math.max(...out.map((row) => [...row].length))));
  for (const line of lines.filter((entry) => entry.note)) out.push(`  ${line.label}: ${line.note}`);
  for (const { group, message } of errors) out.push(`  ERROR ${group}: ${message.split('\n')[0]}`);
  return out.join('\n');
}

export function printPolling(polling, { sessions, seconds }) {
  const num = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
  const simInFlight = polling.simulatorMaxInFlight === undefined
    ? 'simulator log has no startedAt/maxInFlight'
    : `simulator: ${polling.simulatorMaxInFlight} from ${polling.simulatorMaxInFlightSource}`;
  const inFlightVerdict = polling.maxInFlight === 1 ? 'PASS' : 'MISS';
  return [
    `polling while waiting for the other device (${sessions} session(s) × ${seconds} s; counted by a pass-through proxy in front of the simulator):`,
    `  API requests/s             ${num(polling.requestsPerSecond, 2)}   (simulator log: ${num(polling.simulatorRequestsPerSecond, 2)})   expect ~1`,
    `  max in flight              ${polling.maxInFlight ?? 'n/a'}      (${simInFlight})   must be 1: ${inFlightVerdict}`,
    `  change-to-screen latency   median ${num(polling.latencyMedianMs, 0)} ms, max ${num(polling.latencyMaxMs, 0)} ms   (${polling.latencySamples} samples: POST accept → QR screen, POST confirm-sas → step 4)`,
    `  polled                     ${polling.paths.join(', ') || 'nothing'}`,
  ].join('\n');
}
