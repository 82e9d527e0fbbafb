import { InputError, UsageError } from '../errors.js';
import { extractVdsos, outputNames } from '../extract/scan.js';
import { readInputBytes, writeNewFiles } from '../io.js';
import { extractToJson, extractToText } from '../report/extract.js';
import type { Streams } from './streams.js';

export async function runExtract(kernel: string, opts: { output?: string; json?: boolean }, io: Streams): Promise<number> {
  if (opts.output === '') throw new UsageError('-o: an empty directory name (give a directory, or no -o to only list the images)');
  const bytes = readInputBytes(kernel, 'kernel');
  const { found, compressions } = await extractVdsos(bytes);
  if (found.length === 0) {
    // xz and zstd streams carry checksums and sizes, so their errors are the telling ones; a
    // gzip magic is three bytes that also occur by chance.
    const rank = (k: string) => ['xz', 'zstd', 'gzip'].indexOf(k);
    const failed = compressions.filter((c) => c.error).sort((a, b) => rank(a.kind) - rank(b.kind))[0];
    if (failed) throw new InputError(`no vDSO found; the ${failed.kind} payload could not be decoded (${failed.error})`, { file: kernel, offset: BigInt(failed.offset) });
    const undecodable = compressions.find((c) => !c.decoded);
    if (undecodable) throw new InputError(`no vDSO found; the payload looks ${undecodable.kind}-compressed, which vdso-layout cannot decompress (decompress it first, or pass the vmlinux from the build tree)`, { file: kernel, offset: BigInt(undecodable.offset) });
    throw new InputError('no vDSO image found (looked for ELF shared objects named linux-vdso*.so.1 / linux-gate.so.1, directly and in gzip/xz/zstd payloads)', { file: kernel });
  }
  const names = outputNames(found);
  if (opts.output) {
    writeNewFiles(opts.output, found.map((f, i) => [names[i], f.bytes]));
  }
  io.out(opts.json ? extractToJson(kernel, found, names, opts.output) : extractToText(found, names, opts.output));
  return 0;
}
