#!/usr/bin/env node
// Thin shim (CommonJS: bin/package.json; Node's ES module loader alone costs ~10% of a check).
// The compiled CLI is dist/, built by `npm install` via the prepare script: tsc's output, plus
// dist/vdso-layout.cjs, the same code bundled into one file with V8's code cache next to it
// (scripts/bundle.mjs). The bundle starts faster; it is used only when it is at least as new as
// dist/cli.js, so a plain `tsc` after a build never runs stale code.
'use strict';
const { readFileSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const bundle = join(dist, 'vdso-layout.cjs');
const mtime = (f) => { try { return statSync(f).mtimeMs; } catch { return -1; } };
const fail = (err) => {
  process.stderr.write(`vdso-layout: ${err && err.message ? err.message : err}\n`);
  process.exit(2);
};

const built = mtime(bundle);
if (built >= 0 && built >= mtime(join(dist, 'cli.js'))) {
  try {
    const { Script } = require('node:vm');
    let cachedData;
    try { cachedData = readFileSync(`${bundle}.cache`); } catch { /* no cache: V8 compiles as usual */ }
    // The CommonJS wrapper, as require() would add it; V8 rejects a cache that does not match.
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`, { filename: bundle, cachedData });
    // Build hook (scripts/bundle.mjs): after a representative run, save what V8 compiled.
    const cacheOut = process.env.VDSO_LAYOUT_WRITE_CODE_CACHE;
    if (cacheOut) process.once('exit', () => writeFileSync(cacheOut, script.createCachedData()));
    const mod = { exports: {} };
    script.runInThisContext()(mod.exports, require('node:module').createRequire(bundle), mod, bundle, dist);
  } catch (err) {
    fail(err);
  }
} else {
  // Node >= 22.1 caches compiled code between runs.
  require('node:module').enableCompileCache?.();
  import('../dist/cli.js').catch((err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
      fail('dist/ is missing; run `npm install` (or `npm run build`) first');
    }
    fail(err);
  });
}
