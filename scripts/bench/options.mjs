// Command-line options of scripts/bench.mjs.
import { parseArgs } from 'node:util';
import { GROUPS } from './rows.mjs';

export const USAGE = `usage: npm run bench -- [options]      (or: node scripts/bench.mjs [options] after npm run build)

  --node PATH          node binary for the CLI and for the node -e 0 baseline (default: this node)
  --runs N             interleaved rounds per row (default 7, or BENCH_RUNS)
  --only IDS           comma-separated rows: ${GROUPS.flatMap((group) => group.ids).join(', ')}
                       (or a group: ${GROUPS.map((group) => group.name).join(', ')})
  --wait-seconds S     length of the waiting-for-the-other-device window (default 10)
  --wait-runs N        wizard sessions for the waiting and polling figures (default 3)
  --json FILE          where to write every figure (default .tmp/bench.json)
  -h, --help           this text

Exit code 0 when every row was measured (MISS rows included); 1 when the bench itself failed.`;

function positive(name, text, { integer = true } = {}) {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) throw new Error(`--${name} needs a positive ${integer ? 'whole ' : ''}number, not ${JSON.stringify(text)}`);
  return value;
}

export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      node: { type: 'string' },
      runs: { type: 'string' },
      only: { type: 'string' },
      'wait-seconds': { type: 'string' },
      'wait-runs': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const known = new Map(GROUPS.flatMap((group) => [[group.name, group.ids], ...group.ids.map((id) => [id, [id]])]));
  let only;
  if (values.only !== undefined) {
    only = new Set();
    for (const name of values.only.split(',').map((part) => part.trim()).filter(Boolean)) {
      if (!known.has(name)) throw new Error(`--only: unknown row ${JSON.stringify(name)} (known: ${[...known.keys()].join(', ')})`);
      for (const id of known.get(name)) only.add(id);
    }
  }
  return {
    help: values.help ?? false,
    node: values.node ?? process.execPath,
    runs: positive('runs', values.runs ?? process.env.BENCH_RUNS ?? '7'),
    only,
    waitSeconds: positive('wait-seconds', values['wait-seconds'] ?? '10', { integer: false }),
    waitRuns: positive('wait-runs', values['wait-runs'] ?? '3'),
    json: values.json ?? '.tmp/bench.json',
  };
}
