import { clusterOf, diffClusters } from '../check/diff.js';
import { InputError, UsageError } from '../errors.js';
import { openCaptureBytes, readInputBytes } from '../io.js';
import { parseAuxvAny } from '../capture/auxv.js';
import { pageMisfit } from '../layout/page-size.js';
import { readCaptureBytes, readCaptureStream } from '../capture/reader.js';
import { diffToJson, diffToText } from '../report/diff.js';
import { parsePageSize } from './options.js';
import type { Streams } from './streams.js';


export async function runDiff(before: string, after: string, opts: { json?: boolean; block?: string; pageSize?: string; auxvBefore?: string; auxvAfter?: string }, io: Pick<Streams, 'out'>): Promise<number> {
  // --block N (both captures) or --block B:A (before's B, after's A), counted from 1.
  const m = opts.block === undefined ? undefined : /^([1-9]\d*)(?::([1-9]\d*))?$/.exec(opts.block);
  if (opts.block !== undefined && !m) throw new UsageError(`--block: expected a process number from 1 (N, or BEFORE:AFTER), not '${opts.block}'`);
  const blocks = m ? [Number(m[1]) - 1, Number(m[2] ?? m[1]) - 1] : [undefined, undefined];
  const page = opts.pageSize ? parsePageSize(opts.pageSize) : undefined;
  const load = async (file: string, blockIndex: number | undefined, auxvFile?: string) => {
    const src = openCaptureBytes(file);
    const cap = src.whole ? readCaptureBytes(src.whole, { file }) : await readCaptureStream(src.chunks, { file });
    // A log of several processes (native and compat tasks, say) has no one cluster: comparing the
    // first silently could compare two different tasks, so the choice is the user's.
    if (blockIndex === undefined && cap.blocks.length > 1) {
      const list = cap.blocks.slice(0, 8).map((b) => `${b.index + 1} ${b.label ?? '(no label)'} (line ${b.firstLine})`).join(', ');
      throw new UsageError(`${file}: has ${cap.blocks.length} maps blocks (processes): ${list}${cap.blocks.length > 8 ? ', …' : ''}; choose one with --block N (or --block BEFORE:AFTER)`);
    }
    // Said as check says it (not "has 0 maps block(s), no block 1").
    if (cap.blocks.length === 0) throw new InputError('no /proc/PID/maps lines found', { file });
    const b = cap.blocks[blockIndex ?? 0];
    // A block number the capture does not have is a wrong flag, not a wrong capture.
    if (!b) throw new UsageError(`${file}: has ${cap.blocks.length} maps block(s), no block ${(blockIndex ?? 0) + 1}`);
    const auxv = auxvFile ? parseAuxvAny(readInputBytes(auxvFile, 'auxv'), { file: auxvFile }) : undefined;
    // An aux vector whose AT_SYSINFO_EHDR points into no vma is another process's: its base would
    // put every region millions of pages away.
    const ehdr = auxv?.sysinfoEhdr;
    if (ehdr !== undefined && !b.mappings.some((m) => m.start <= ehdr && ehdr < m.end)) {
      throw new InputError(`AT_SYSINFO_EHDR 0x${ehdr.toString(16)} (from ${auxvFile}) is in no vma of this process: the aux vector is another process's`, { file, line: b.firstLine });
    }
    // A page size some vma boundary is finer than is not this capture's kernel's (check refuses it alike).
    const misfit = page !== undefined ? pageMisfit(b.mappings, page) : undefined;
    if (misfit) throw new UsageError(`--page-size ${page} does not fit ${file}'s own lines: ${misfit}`);
    const c = clusterOf(b, ehdr);
    if (!c) throw new InputError('no [vdso] (named, or unnamed next to [vvar]) in this capture', { file, line: b.firstLine });
    // Named as check names a process: FILE#label (or FILE#N) when the capture holds several.
    // A label two blocks share (a gate log's native and compat "bundle") gets the block number too.
    const shared = b.label !== undefined && cap.blocks.some((x) => x !== b && x.label === b.label);
    const name = cap.blocks.length > 1 ? `${file}#${b.label ?? b.index + 1}${shared ? ` (block ${b.index + 1})` : ''}` : file;
    return { c, name };
  };
  const b = await load(before, blocks[0], opts.auxvBefore);
  const a = await load(after, blocks[1], opts.auxvAfter);
  const { page: shown, changes } = diffClusters(b.c, a.c, page);
  io.out(opts.json ? diffToJson(changes, shown, b.c, a.c) : diffToText(changes, shown, [b.name, a.name]));
  return changes.every((c) => c.changes[0] === 'same') ? 0 : 1;
}
