#!/usr/bin/env node
// Thin shim (CommonJS: bin/package.json; Node's ES module loader alone costs ~10% of a check).
// The compiled CLI is dist/, built by `npm install` via the prepare script: tsc's output, plus
// dist/vdso-layout.bundle.js, the same code bundled into one file (scripts/bundle.mjs). The bundle
// starts faster; it is used only when it is at least as new as dist/cli.js, so a plain `tsc`
// after a build never runs stale code.
'use strict';
const { readFileSync, statSync, writeFileSync, mkdirSync, renameSync, unlinkSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const bundle = join(dist, 'vdso-layout.bundle.js');
const stat = (f) => { try { return statSync(f); } catch { return undefined; } };
const fail = (err) => {
  process.stderr.write(`vdso-layout: ${err && err.message ? err.message : err}\n`);
  process.exit(2);
};

const built = stat(bundle);
if (built && built.mtimeMs >= (stat(join(dist, 'cli.js'))?.mtimeMs ?? -1)) {
  try {
    runBundle(built);
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

/**
 * Run the bundle with V8's code cache: compiling it costs more than the whole check. A cache is
 * specific to a Node build, so there is one per Node version: the build (scripts/bundle.mjs)
 * records one for the Node that builds, next to the bundle; any other Node records its own
 * after its first run in the user's cache directory ($XDG_CACHE_HOME or ~/.cache, then
 * vdso-layout/code), never in the package (it may be read-only) nor near an input.
 * NODE_DISABLE_COMPILE_CACHE=1 turns the user cache off, as it does Node's own.
 */
function runBundle(built) {
  const { Script } = require('node:vm');
  const node = `${process.version}-${process.arch}`;
  const shipped = `${bundle}.${node}.cache`;
  // The bundle's size and mtime name its caches: V8 itself checks only the source's length.
  const userDir = process.env.NODE_DISABLE_COMPILE_CACHE ? undefined : cacheDir();
  const userCache = userDir && join(userDir, `${built.size}-${Math.trunc(built.mtimeMs)}-${node}.cache`);
  let cachedData;
  // The user's cache first: it exists only where the shipped one was missing or rejected.
  for (const f of [userCache, shipped]) {
    if (!f) continue;
    try { cachedData = readFileSync(f); break; } catch { /* not there: the next, or compile as usual */ }
  }
  // The file is the function require() would wrap a CommonJS module in. latin1: it is ASCII.
  const script = new Script(readFileSync(bundle, 'latin1'), { filename: bundle, cachedData });
  // Build hook (scripts/bundle.mjs): after a representative run, save what V8 compiled.
  const cacheOut = process.env.VDSO_LAYOUT_WRITE_CODE_CACHE ?? (userCache && (cachedData === undefined || script.cachedDataRejected) ? userCache : undefined);
  if (cacheOut) process.once('exit', () => saveCache(script, cacheOut, cacheOut === userCache ? userDir : undefined));
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, require('node:module').createRequire(bundle), mod, bundle, dist);
}

function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || (process.env.HOME && join(process.env.HOME, '.cache'));
  return base ? join(base, 'vdso-layout', 'code') : undefined;
}

/** Write the cache whole or not at all (a temporary file renamed), best effort. */
function saveCache(script, file, dir) {
  try {
    if (dir) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Caches of bundles since replaced are dead weight: keep the newest few.
      const byAge = readdirSync(dir).filter((f) => f.endsWith('.cache')).map((f) => join(dir, f))
        .map((path) => ({ path, mtime: stat(path)?.mtimeMs ?? 0 })).sort((a, b) => a.mtime - b.mtime);
      for (const { path } of byAge.slice(0, Math.max(0, byAge.length - 7))) unlinkSync(path);
    }
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, file);
  } catch { /* no cache: the next run compiles again */ }
}
