#!/usr/bin/env node
// Thin shim (CommonJS: bin/package.json; Node's ES module loader alone costs ~10% of a check).
// It runs dist/vdso-layout.bundle.js, the whole CLI in one file, built by `npm run build`
// (scripts/bundle.mjs; `npm install` in a checkout runs it via the prepare script). It is the only
// code the package ships and the only code this runs: after editing src/, build again.
'use strict';
const { closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } = require('node:fs');
const { isAbsolute, join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const bundle = join(dist, 'vdso-layout.bundle.js');
/** The command as src/cli/run.ts takes it: the first argument, if it names one (src/cli/program.ts COMMANDS). */
const COMMANDS = ['inspect', 'synth', 'check', 'diff', 'capture-script', 'capture', 'extract', 'profiles'];
const commandOf = (first) => (COMMANDS.includes(first) ? first : 'other');
/** A code cache's header: its runs' depth (byte 0) and reach (bytes 4-7, LE), zeros between. 8 bytes: V8 copies cached data that is not pointer-aligned. */
const HEADER = 8;

const fail = (err) => {
  process.stderr.write(`vdso-layout: ${err && err.message ? err.message : err}\n`);
  process.exit(2);
};

try {
  runBundle(compileBundle());
} catch (err) {
  fail(err);
}

/** Read fd into buf from its start until buf is full or the file ends; how many bytes it read. */
function readAll(fd, buf) {
  let done = 0;
  for (let n; done < buf.length && (n = readSync(fd, buf, done, buf.length - done, null)) > 0;) done += n;
  return done;
}

/**
 * Run the bundle with V8's code cache: compiling it costs more than the whole check. A cache
 * fits one Node build only, so none is shipped: each Node records its own after its first run in
 * the user's cache directory ($XDG_CACHE_HOME or ~/.cache, then vdso-layout/code), never in the
 * package (it may be read-only, and is shared) nor near an input. The bundle's first line (its
 * version and content hash), the command and the Node version and arch name the file: V8 itself
 * checks only the source's length. NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's
 * own cache.
 *
 * A cache holds the functions its recording run compiled, and V8 never asks for more once it
 * accepts it. So there is one per command (a first `--version` would leave every later check
 * compiling the check's code), and each starts with a header whose first byte says how far into
 * the command its run went (the bundle's runDepth(): 0, not at all, as `check --help`; 1, to an
 * error, as a check of a missing file; 2, to a result), and whose bytes 4-7 say what of it the
 * run exercised (runReach(): the options given, the output formats, a failure). A run that goes
 * deeper, or exercises what the recording runs did not (a first check without --vdso, then checks
 * with it), records it again, holding both: the first check a user runs is often not the one
 * their CI repeats. Each re-record adds a bit, so a cache is written a few times at most.
 */
function runBundle({ script, had, accepted, save }) {
  const mod = { exports: {} };
  // Saved at exit, after a run: the cache then holds the functions the run compiled too.
  if (save) {
    process.once('exit', () => {
      const ran = { depth: call(mod.exports.runDepth), reach: call(mod.exports.runReach) >>> 0 };
      if (!accepted || ran.depth > had.depth || (ran.reach & ~had.reach) !== 0) {
        save({ depth: Math.max(ran.depth, had.depth), reach: (ran.reach | had.reach) >>> 0 });
      }
    });
  }
  script.runInThisContext()(mod.exports, require('node:module').createRequire(bundle), mod, bundle, dist);
}

/**
 * The bundle compiled from its source and, when V8 accepts it, its code cache. Both are read into
 * one buffer: the cache finds its pages already touched, and a first touch of a page is a good
 * part of a start-up (~150 pages here). Twice the bundle's size, as a cache can be larger than
 * the bundle (Node 24's); pages never touched cost nothing. The buffer must not outlive this
 * function: alive at the bundle's first garbage collection, it would be promoted and kept for
 * the whole run (~1.3 MB). Freed there, it also raises glibc malloc's dynamic thresholds to its
 * size, and a long run then touches fewer fresh pages (10,000 captures: ~2,000 fewer on Node 20
 * and 22 than when the cache's own buffer was kept to the end).
 */
function compileBundle() {
  const { Script } = require('node:vm');
  let source;
  let spare;
  try {
    const fd = openSync(bundle, 'r');
    try {
      const size = fstatSync(fd).size;
      spare = Buffer.allocUnsafeSlow(2 * size);
      source = spare.toString('latin1', 0, readAll(fd, spare.subarray(0, size))); // latin1: the bundle is ASCII (scripts/bundle.mjs checks)
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw err && err.code === 'ENOENT' ? new Error(`${bundle} is missing; run \`npm run build\` first`) : err;
  }
  const id = /^\/\/ vdso-layout (\S+) bundle ([0-9a-f]+)/.exec(source);
  const base = id && !process.env.NODE_DISABLE_COMPILE_CACHE ? cacheBase() : undefined;
  const [bundleTag, nodeTag] = id ? [`${id[1]}-${id[2]}-`, `-${process.version}-${process.arch}.cache`] : [];
  const file = base && join(base, 'vdso-layout', 'code', `${bundleTag}${commandOf(process.argv[2])}${nodeTag}`);
  const cached = file && readCache(file, spare);
  const script = new Script(source, { filename: bundle, cachedData: cached && cached.data });
  const accepted = Boolean(cached) && !script.cachedDataRejected;
  return {
    script,
    accepted,
    // An accepted cache's functions are still compiled, so what is written at exit holds both runs'.
    had: accepted ? { depth: cached.depth, reach: cached.reach } : { depth: 0, reach: 0 },
    save: file && ((header) => saveCache(script, header, base, file, new Set([...COMMANDS, 'other'].map((c) => `${bundleTag}${c}${nodeTag}`)))),
  };
}

/** What the bundle's export says (0 from a bundle without it). */
function call(fn) {
  return typeof fn === 'function' ? fn() : 0;
}

/** $XDG_CACHE_HOME, else ~/.cache; relative ones are ignored, as the XDG spec says. */
function cacheBase() {
  const { XDG_CACHE_HOME: xdg, HOME: home } = process.env;
  if (xdg && isAbsolute(xdg)) return xdg;
  return home && isAbsolute(home) ? join(home, '.cache') : undefined;
}

/**
 * The cache: its runs' depth and reach and V8's bytes, or undefined on any trouble. Non-blocking:
 * a FIFO there must not hang a run. Read into `spare` when it fits (V8 is done with the bytes once
 * the script is compiled).
 */
function readCache(file, spare) {
  let fd;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile() || st.size <= HEADER || st.size >= 64 << 20) return undefined;
    const buf = spare && spare.length >= st.size ? spare.subarray(0, st.size) : Buffer.allocUnsafeSlow(st.size);
    const bytes = buf.subarray(0, readAll(fd, buf));
    return bytes.length > HEADER ? { depth: bytes[0], reach: bytes.readUInt32LE(4), data: bytes.subarray(HEADER) } : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) try { closeSync(fd); } catch { /* nothing to do */ }
  }
}

/**
 * Write the cache whole or not at all (a temporary file renamed over it), best effort: on any
 * error, no cache and no message. Directories are made one level at a time, never with mkdirSync's
 * recursive mode, which on some paths loops forever (HOME=/proc/1: mkdir answers ENOENT although
 * the parent exists).
 */
function saveCache(script, { depth, reach }, base, file, current) {
  const dir = join(base, 'vdso-layout', 'code');
  try {
    for (const d of [base, join(base, 'vdso-layout'), dir]) {
      try { mkdirSync(d, { mode: 0o700 }); } catch (err) { if (err.code !== 'EEXIST') return; }
    }
    if (!statSync(dir).isDirectory()) return;
    // Caches of bundles and Nodes since replaced are dead weight: keep this bundle's for this Node
    // (one per command) and the newest few others.
    const others = readdirSync(dir).filter((f) => f.endsWith('.cache') && !current.has(f)).slice(0, 256)
      .map((f) => ({ path: join(dir, f), mtime: statSync(join(dir, f)).mtimeMs })).sort((a, b) => a.mtime - b.mtime);
    for (const { path } of others.slice(0, Math.max(0, others.length - 8))) unlinkSync(path);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try { const header = Buffer.alloc(HEADER); header[0] = depth; header.writeUInt32LE(reach, 4); writeFileSync(fd, header); writeFileSync(fd, script.createCachedData()); } finally { closeSync(fd); }
      renameSync(tmp, file);
    } catch {
      try { unlinkSync(tmp); } catch { /* never written */ }
    }
  } catch { /* no cache: the next run compiles again */ }
}
