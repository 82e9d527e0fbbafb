// The corpus captures with the image their process maps, from samples/manifest.json (the one
// table the sample README, these tests and the CLI sample test share).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

export interface CaptureCase { entry: string; maps: string; image: string; auxv?: string }
export interface SampleCheck { capture: string; args: string[]; verdict: 'pass' | 'fail'; codes: string[]; shows: string; image?: string; auxv?: string | null }

export const MANIFEST: { checks: SampleCheck[] } = JSON.parse(readFileSync(join(ROOT, 'samples', 'manifest.json'), 'utf8'));

export const CAPTURES: CaptureCase[] = MANIFEST.checks
  .filter((c) => c.capture.startsWith('corpus/') && c.image)
  .map((c) => {
    const [, entry, maps] = c.capture.split('/');
    return { entry, maps, image: c.image!.split('/')[2], auxv: c.auxv ? c.auxv.split('/')[2] : undefined };
  });
