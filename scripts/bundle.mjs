// Build step after tsc (npm run build / prepare): bundle dist/cli.js and everything it loads into
// one file, dist/vdso-layout.bundle.js: the only code the package ships and the bin runs. Why:
// start-up is most of what a check of one capture costs, and resolving, reading and compiling ~40
// ES modules one by one is most of start-up; one file, with V8's code cache for it (recorded by
// the bin shim in the user's cache directory, per Node build), loads in one step.
// The file is CommonJS code already inside the function wrapper require() would add, so the bin
// shim hands it to vm.Script as read (wrapping a 560 KB string at run time cost a copy and a
// scavenge: ~1-3 ms). Its first line names the package version and a hash of the rest: the shim
// names its code caches after it, as V8 itself checks only the source's length.
import { build } from 'rolldown';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'vdso-layout.bundle.js');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Earlier builds' code caches (once written next to the bundle), and its former name (vdso-layout.cjs).
for (const f of readdirSync(dirname(out))) if (/^vdso-layout\.(cjs|bundle\.js)(\..*\.cache|\.cache)?$/.test(f)) rmSync(join(dirname(out), f));
const { output: [bundled] } = await build({
  input: join(root, 'dist', 'cli.js'),
  platform: 'node',
  logLevel: 'warn',
  // src/version.ts: `--version` prints package.json's version without reading it at run time.
  transform: { define: { __VDSO_LAYOUT_VERSION__: JSON.stringify(version) } },
  // Dynamic imports stay lazy inside the one file: a command evaluates only what it needs.
  // ASCII only (non-ASCII escaped; comments dropped but the line naming each module): the shim
  // reads it as latin1, a one-byte string, faster to read and smaller to hold than UTF-8 (checked
  // below).
  write: false,
  output: { file: out, format: 'cjs', codeSplitting: false, charset: 'ascii', comments: false },
});

// Built-in modules only some commands use (zlib and crypto for extract, tty for chalk's colour
// detection, which runs only when colour is on, child_process for commander's external
// subcommands, assert for one check in elfy) are hoisted to the top of the bundle; loading them
// costs more than the rest of a check. Make those requires lazy: a proxy that loads on first use.
const LAZY = ['node:zlib', 'node:crypto', 'node:child_process', 'node:os', 'node:tty', 'assert'];
let code = bundled.code;
const lazyHelper = 'const __lazyBuiltin = (load) => { let m; const get = () => (m ??= load()); return new Proxy({}, { get: (_, k) => get()[k], has: (_, k) => k in get() }); };\n';
let lazied = 0;
for (const id of LAZY) {
  const q = JSON.stringify(id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // `let node_zlib = require("node:zlib");` optionally followed by `node_zlib = __toESM(node_zlib, 1);`
  const top = new RegExp(`^let (\\w+) = require\\(${q}\\);\\n(?:\\1 = (__toESM)\\(\\1, 1\\);\\n)?`, 'gm');
  code = code.replace(top, (_, name, esm) => { lazied++; return `let ${name} = __lazyBuiltin(() => ${esm ? `__toESM(require(${JSON.stringify(id)}), 1)` : `require(${JSON.stringify(id)})`});\n`; });
  // Inside a bundled CommonJS package: `const childProcess = require("node:child_process");`
  const inner = new RegExp(`^(\\s*)(const|var) (\\w+) = require\\(${q}\\);$`, 'gm');
  code = code.replace(inner, (_, indent, decl, name) => { lazied++; return `${indent}${decl} ${name} = __lazyBuiltin(() => require(${JSON.stringify(id)}));`; });
}
if (lazied) code = code.replace(/^let node_/m, `${lazyHelper}let node_`);
const nonAscii = /[^\x00-\x7f]/.exec(code);
if (nonAscii) throw new Error(`${out}: non-ASCII character at offset ${nonAscii.index} (the bin shim reads the bundle as latin1)`);
// The header is a comment: V8 takes the script's value, the function, all the same.
const body = `(function (exports, require, module, __filename, __dirname) {${code}\n})`;
const id = createHash('sha256').update(body).digest('hex').slice(0, 16);
writeFileSync(out, `// vdso-layout ${version} bundle ${id}: a function expression that bin/vdso-layout.js runs (not a module)\n${body}`);
