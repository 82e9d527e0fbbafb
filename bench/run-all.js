// npm run bench: every benchmark, one after another (each prints its own figures).
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
for (const b of ['inspect.mjs', 'check.mjs', 'maps-reader.mjs', 'extract.mjs']) {
  const r = spawnSync(process.execPath, [join(here, b)], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
