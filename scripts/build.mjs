// Bundles the CLI into one ESM file, dist/cli.js. Ink needs two things to bundle: its lazy devtools import aliased to a stub, and a require() for CommonJS dependencies.
import { build } from 'esbuild';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stub = `${root}.tmp/react-devtools-core-stub.js`;
await mkdir(`${root}.tmp`, { recursive: true });
// Ink imports the devtools lazily; an empty stand-in keeps it out of the bundle.
await writeFile(stub, 'export default { initialize() {}, connectToDevTools() {} };\nexport function initialize() {}\nexport function connectToDevTools() {}\n');

const temp = `${root}dist/cli.${process.pid}.tmp.js`;
await build({
  entryPoints: [`${root}src/cli.ts`],
  // Written beside the target and renamed: a test run reading dist/cli.js never sees half a file.
  outfile: temp,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  alias: { 'react-devtools-core': stub },
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  logLevel: 'warning',
});
await chmod(temp, 0o755);
await rename(temp, `${root}dist/cli.js`);
