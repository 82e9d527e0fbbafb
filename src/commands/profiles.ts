import { ALL_PROFILES } from '../layout/profiles/index.js';
import { profilesToJson, profilesToMarkdown, profilesToText } from '../report/layout.js';
import { parseArchFlag } from './options.js';
import type { Streams } from './streams.js';

/** `width`: the terminal's columns when stdout is one, else 80 (the shell decides). */
export function runProfiles(opts: { json?: boolean; markdown?: boolean; arch?: string }, io: Pick<Streams, 'out'> & { width?: number }): number {
  const fam = opts.arch !== undefined ? parseArchFlag(opts.arch)!.family : undefined; // --arch '' is no architecture, not all of them
  const rows = ALL_PROFILES.filter((r) => !fam || r.family === fam);
  io.out(opts.json ? profilesToJson(rows) : opts.markdown ? profilesToMarkdown(rows) : profilesToText(rows, Math.max(40, io.width ?? 80)));
  return 0;
}
