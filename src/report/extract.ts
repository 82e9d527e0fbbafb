// Renderers of `extract`: one line per image found, or JSON (schema extract/1).
import { join } from 'node:path';
import { hex } from '../errors.js';
import type { Found } from '../extract/scan.js';
import { jsonEscapeUnsafe, visible } from './escape.js';
import { SCHEMA } from './schemas.js';

/** `names`: each image's file name; `dir`: where they were written (-o), if anywhere. */
export function extractToJson(kernel: string, found: readonly Found[], names: readonly string[], dir?: string): string {
  return jsonEscapeUnsafe(JSON.stringify({
    schema: SCHEMA.extract, kernel,
    images: found.map((f, i) => ({
      name: names[i], file: dir ? join(dir, names[i]) : null, arch: f.image.arch ?? null, abi: f.image.abi ?? null,
      class: f.image.header.class, soname: f.image.soname, size: f.length, buildId: f.image.buildId ?? null,
      kernelVersion: f.image.kernelVersion ?? null, source: f.source, offset: hex(BigInt(f.offset)),
    })),
  }, null, 2)) + '\n';
}

export function extractToText(found: readonly Found[], names: readonly string[], dir?: string): string {
  // The directory is the user's and the strings the image's: made visible, never raw escapes.
  return found.map((f, i) => `${visible(dir ? join(dir, names[i]) : names[i]).padEnd(24)} ${(f.image.arch ?? '?').padEnd(8)} ${String(f.length).padStart(6)} bytes  ${visible(String(f.image.soname))}  kernel ${visible(f.image.kernelVersion ?? '?')}  build-id ${f.image.buildId ?? '-'}  (${f.source} +${hex(BigInt(f.offset))})\n`).join('');
}
