import { clusterOf, diffClusters, diffToJson, diffToText } from '../check/diff.js';
import { InputError } from '../errors.js';
import { openByteStream, readInputBytes } from '../io.js';
import { parseAuxvAny } from '../maps/auxv.js';
import { readCaptureStream } from '../maps/capture.js';
import { parsePageSize } from './options.js';

export interface Streams { out: (s: string) => void; err: (s: string) => void }

export async function runDiff(before: string, after: string, opts: { json?: boolean; block?: string; pageSize?: string; auxvBefore?: string; auxvAfter?: string }, io: Streams): Promise<number> {
  const blockIndex = opts.block === undefined ? 0 : Number(opts.block) - 1;
  if (!Number.isInteger(blockIndex) || blockIndex < 0) throw new InputError(`--block: expected a process number from 1, not '${opts.block}'`);
  const load = async (file: string, auxvFile?: string) => {
    const cap = await readCaptureStream(openByteStream(file), { file });
    const b = cap.blocks[blockIndex];
    if (!b) throw new InputError(`has ${cap.blocks.length} maps block(s), no block ${blockIndex + 1}`, { file });
    const auxv = auxvFile ? parseAuxvAny(readInputBytes(auxvFile, 'auxv'), { file: auxvFile }) : undefined;
    const c = clusterOf(b, auxv?.sysinfoEhdr);
    if (!c) throw new InputError('no [vdso] (named, or unnamed next to [vvar]) in this capture', { file, line: b.firstLine });
    return c;
  };
  const b = await load(before, opts.auxvBefore);
  const a = await load(after, opts.auxvAfter);
  const { page, changes } = diffClusters(b, a, opts.pageSize ? parsePageSize(opts.pageSize) : undefined);
  io.out(opts.json ? diffToJson(changes, page, b, a) : diffToText(changes, page, [before, after]));
  return changes.every((c) => c.changes[0] === 'same') ? 0 : 1;
}
