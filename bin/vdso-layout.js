#!/usr/bin/env node
// Thin shim: the compiled CLI lives in dist/ (built by `npm install` via the prepare script).
import module from 'node:module';
// Node >= 22.1 caches compiled code between runs; start-up is most of a check's cost.
module.enableCompileCache?.();
import('../dist/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
    process.stderr.write('vdso-layout: dist/ is missing; run `npm install` (or `npm run build`) first\n');
  } else {
    process.stderr.write(`vdso-layout: ${err && err.message ? err.message : err}\n`);
  }
  process.exit(2);
});
