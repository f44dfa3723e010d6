// Builds dist/: a small entry (dist/cli.js) and code-split chunks (dist/chunks/), so `--version`,
// `--help`, `status`, `logout` and headless runs never load Ink, React or yoga. Dead weight is cut
// at bundle time: Ink's devtools (and `ws` with it) are reached only with DEV=true, cli-spinners'
// table is reduced to the two spinners the wizard uses, emoji-regex gives way to \p{RGI_Emoji}, and
// yoga's WebAssembly ships as a brotli-packed binary instead of base64 text (smaller, and never
// fetched through a data: URL, which on Node 20 would load undici before the first frame).
//
// `node scripts/build.mjs [--clean]`: chunks of earlier builds are removed once they are ten minutes
// old (a CLI started from the previous build may still load them); --clean removes them all (prepack).
import { build } from 'esbuild';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { brotliCompressSync, constants } from 'node:zlib';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const chunks = join(dist, 'chunks');
const clean = process.argv.includes('--clean');
const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

/** Stand-ins for modules the CLI never needs, or needs only a sliver of. */
const trimmed = {
  name: 'trimmed',
  setup(bundle) {
    // Ink imports its devtools (react-devtools-core, ws, a window polyfill) only when DEV=true.
    bundle.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      /[\\/]ink[\\/]build$/.test(args.resolveDir) ? { path: 'ink-devtools', namespace: 'trimmed' } : undefined,
    );
    bundle.onLoad({ filter: /^ink-devtools$/, namespace: 'trimmed' }, () => ({ contents: 'export {};', loader: 'js' }));

    // ink-spinner looks its spinner up by name in cli-spinners (80 kinds); the theme uses two.
    // Slower than their usual 80 ms and 130 ms: a short wait redraws four times a second, not twelve
    // (long waits turn the spinner with their elapsed-time clock instead, components/Say.tsx).
    bundle.onResolve({ filter: /^cli-spinners$/ }, () => ({ path: 'cli-spinners', namespace: 'trimmed' }));
    bundle.onLoad({ filter: /^cli-spinners$/, namespace: 'trimmed' }, () => ({
      contents: `export default {
        dots: { interval: 250, frames: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] },
        line: { interval: 250, frames: ['-', '\\\\', '|', '/'] },
      };`,
      loader: 'js',
    }));

    // A component that throws ends Ink, and main() reports it (the stack only with --debug): Ink's own
    // error screen, with stack-utils and code-excerpt behind it, would only show minified source.
    bundle.onResolve({ filter: /^\.\/ErrorOverview\.js$/ }, (args) =>
      /[\\/]ink[\\/]build[\\/]components$/.test(args.resolveDir) ? { path: 'ink-error-overview', namespace: 'trimmed' } : undefined,
    );
    bundle.onLoad({ filter: /^ink-error-overview$/, namespace: 'trimmed' }, () => ({ contents: 'export default function ErrorOverview() { return null; }', loader: 'js' }));

    // proper-lockfile reads the file system through graceful-fs, which patches fs.close for the whole
    // process to queue EMFILE retries: a few lock folders need none of it, plain node:fs does.
    bundle.onResolve({ filter: /^graceful-fs$/ }, () => ({ path: 'graceful-fs', namespace: 'trimmed' }));
    bundle.onLoad({ filter: /^graceful-fs$/, namespace: 'trimmed' }, () => ({ contents: 'module.exports = require("node:fs");', loader: 'js' }));

    // emoji-regex (14 kB) serves one older string-width; Node 20's RegExp knows the same set natively.
    bundle.onResolve({ filter: /^emoji-regex$/ }, () => ({ path: 'emoji-regex', namespace: 'trimmed' }));
    bundle.onLoad({ filter: /^emoji-regex$/, namespace: 'trimmed' }, () => ({ contents: 'export default () => /\\p{RGI_Emoji}/gv;', loader: 'js' }));

    // yoga's Emscripten loader takes the module's bytes as `wasmBinary`: read them from the file
    // shipped beside the chunks, and drop the base64 copy from the source.
    bundle.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const dataUrl = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/;
      const match = dataUrl.exec(source);
      if (!match) throw new Error('yoga-layout: the inline WebAssembly was not found; update scripts/build.mjs');
      wasm = Buffer.from(match[1], 'base64');
      const contents = `${source.replace(dataUrl, '""').replace(/export default loadYoga;\s*$/, '')}
import { readFileSync as __readWasm } from 'node:fs';
import { brotliDecompressSync as __unbrotli } from 'node:zlib';
const __wasmBinary = () => {
  for (const path of ['./yoga.wasm.br', './chunks/yoga.wasm.br']) {
    let packed;
    try { packed = __readWasm(new URL(path, import.meta.url)); } catch { continue; }
    return __unbrotli(packed);
  }
  throw new Error('beeper-setup: yoga.wasm.br is missing from the installed package');
};
export default (options = {}) => loadYoga({ ...options, wasmBinary: __wasmBinary() });
`;
      return { contents, loader: 'js' };
    });
  },
};

/** A require() for the CommonJS inside the ESM chunks; the entry, which has none, goes without. */
const REQUIRE_SHIM = 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);';

/** Creating a require() costs a little: chunks that never call one do without. */
function withoutUnusedShim(text) {
  const rest = text.replace(`${REQUIRE_SHIM}\n`, '');
  return /\brequire\b/.test(rest) ? text : rest;
}

/** The yoga WebAssembly, captured while bundling. */
let wasm;

/**
 * The --help text, made here from src/args.ts's table of flags (src/help.ts) and written into the
 * entry like the version: a bare `beeper-setup --help` then loads no chunk at all (src/cli.ts).
 */
async function helpText() {
  const bundled = await build({ entryPoints: [join(root, 'src/help.ts')], bundle: true, write: false, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
  const { HELP } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
  if (typeof HELP !== 'string' || !HELP.includes('--help')) throw new Error('src/help.ts: no HELP text came out of it');
  return HELP;
}

const result = await build({
  entryPoints: { cli: join(root, 'src/cli.ts') },
  outdir: dist,
  write: false,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  // Names in 32 languages, emojis and box drawing stay UTF-8 instead of \uXXXX escapes: a third smaller.
  charset: 'utf8',
  define: { 'process.env.NODE_ENV': '"production"', BEEPER_SETUP_VERSION: JSON.stringify(version), BEEPER_SETUP_HELP: JSON.stringify(await helpText()) },
  plugins: [trimmed],
  // CommonJS dependencies call require(); give every ESM chunk one.
  banner: { js: REQUIRE_SHIM },
  logLevel: 'warning',
  // BUILD_META=path writes esbuild's metafile (what each chunk holds), for size work.
  metafile: !!process.env.BUILD_META,
});
if (process.env.BUILD_META) await writeFile(process.env.BUILD_META, JSON.stringify(result.metafile));

await mkdir(chunks, { recursive: true });
const entry = result.outputFiles.find((file) => file.path === join(dist, 'cli.js'));
const written = new Set(['yoga.wasm.br']);
// Chunks first (their names carry their hash, so nothing running reads a half-written one),
// the entry last and by rename: a run starting meanwhile sees the old build or the new one.
for (const file of result.outputFiles) {
  if (file === entry) continue;
  written.add(basename(file.path));
  await writeFile(file.path, withoutUnusedShim(file.text));
}
// Brotli packs it 13 % smaller than the tarball's gzip would; unpacking takes about a millisecond.
// Renamed into place like the entry: a wizard starting meanwhile never reads half of it.
if (wasm) {
  const packed = join(chunks, `yoga.wasm.br.${process.pid}.tmp`);
  await writeFile(packed, brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  await rename(packed, join(chunks, 'yoga.wasm.br'));
}
// The translated emoji names are Apache-2.0: their notice travels with the package.
await writeFile(join(dist, 'SAS-NAMES-NOTICE.md'), await readFile(join(root, 'src/shared/SAS-NAMES-NOTICE.md')));
const temp = join(dist, `cli.${process.pid}.tmp.js`);
const entryText = withoutUnusedShim(entry.text);
if (entryText.includes(REQUIRE_SHIM)) throw new Error('dist/cli.js needs require(): nothing CommonJS belongs in the entry');
await writeFile(temp, entryText);
await chmod(temp, 0o755);
await rename(temp, join(dist, 'cli.js'));

const stale = Date.now() - 10 * 60_000;
for (const name of await readdir(chunks)) {
  if (written.has(name)) continue;
  const path = join(chunks, name);
  if (clean || (await stat(path)).mtimeMs < stale) await rm(path, { force: true });
}
