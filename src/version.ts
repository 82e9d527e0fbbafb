// The version `--version` prints: package.json's. The bundle (scripts/bundle.mjs, what the bin
// runs) has it put in at build time, so a start reads no file for it; unbundled (tsc's dist/,
// tests importing src/) it is read from package.json, one directory up from either.
import { readFileSync } from 'node:fs';

declare const __VDSO_LAYOUT_VERSION__: string | undefined;

export const VERSION: string = typeof __VDSO_LAYOUT_VERSION__ === 'string'
  ? __VDSO_LAYOUT_VERSION__
  : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
