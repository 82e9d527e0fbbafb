import { clusterOf, diffClusters } from '../check/diff.js';
import { InputError, UsageError } from '../errors.js';
import { openCaptureBytes, readInputBytes } from '../io.js';
import { parseAuxvAny } from '../capture/auxv.js';
import { readCaptureBytes, readCaptureStream } from '../capture/reader.js';
import { diffToJson, diffToText } from '../report/diff.js';
import { parsePageSize } from './options.js';
import type { Streams } from './streams.js';


export async function runDiff(before: string, after: string, opts: { json?: boolean; block?: string; pageSize?: string; auxvBefore?: string; auxvAfter?: string }, io: Pick<Streams, 'out'>): Promise<number> {
  // --block N (both captures) or --block B:A (before's B, after's A), counted from 1.
  const m = opts.block === undefined ? undefined : /^([1-9]\d*)(?::([1-9]\d*))?$/.exec(opts.block);
  if (opts.block !== undefined && !m) throw new UsageError(`--block: expected a process number from 1 (N, or BEFORE:AFTER), not '${opts.block}'`);
  const blocks = m ? [Number(m[1]) - 1, Number(m[2] ?? m[1]) - 1] : [undefined, undefined];
  const load = async (file: string, blockIndex: number | undefined, auxvFile?: string) => {
    const src = openCaptureBytes(file);
    const cap = src.whole ? readCaptureBytes(src.whole, { file }) : await readCaptureStream(src.chunks, { file });
    // A log of several processes (native and compat tasks, say) has no one cluster: comparing the
    // first silently could compare two different tasks, so the choice is the user's.
    if (blockIndex === undefined && cap.blocks.length > 1) {
      const list = cap.blocks.slice(0, 8).map((b) => `${b.index + 1} ${b.label ?? '(no label)'} (line ${b.firstLine})`).join(', ');
      throw new UsageError(`${file}: has ${cap.blocks.length} maps blocks (processes): ${list}${cap.blocks.length > 8 ? ', …' : ''}; choose one with --block N (or --block BEFORE:AFTER)`);
    }
    const b = cap.blocks[blockIndex ?? 0];
    // A block number the capture does not have is a wrong flag, not a wrong capture.
    if (!b) throw new UsageError(`${file}: has ${cap.blocks.length} maps block(s), no block ${(blockIndex ?? 0) + 1}`);
    const auxv = auxvFile ? parseAuxvAny(readInputBytes(auxvFile, 'auxv'), { file: auxvFile }) : undefined;
    const c = clusterOf(b, auxv?.sysinfoEhdr);
    if (!c) throw new InputError('no [vdso] (named, or unnamed next to [vvar]) in this capture', { file, line: b.firstLine });
    // Named as check names a process: FILE#label (or FILE#N) when the capture holds several.
    const name = cap.blocks.length > 1 ? `${file}#${b.label ?? b.index + 1}` : file;
    return { c, name };
  };
  const b = await load(before, blocks[0], opts.auxvBefore);
  const a = await load(after, blocks[1], opts.auxvAfter);
  const { page, changes } = diffClusters(b.c, a.c, opts.pageSize ? parsePageSize(opts.pageSize) : undefined);
  io.out(opts.json ? diffToJson(changes, page, b.c, a.c) : diffToText(changes, page, [b.name, a.name]));
  return changes.every((c) => c.changes[0] === 'same') ? 0 : 1;
}
