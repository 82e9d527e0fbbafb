import { join } from 'node:path';
import { hex, InputError } from '../errors.js';
import { extractVdsos, outputNames } from '../extract/scan.js';
import { readInputBytes, writeNewFiles } from '../io.js';

export interface Streams { out: (s: string) => void; err: (s: string) => void }

export async function runExtract(kernel: string, opts: { output?: string; json?: boolean }, io: Streams): Promise<number> {
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
  if (opts.json) {
    io.out(JSON.stringify({
      schema: 'vdso-layout/extract/1', kernel,
      images: found.map((f, i) => ({
        name: names[i], file: opts.output ? join(opts.output, names[i]) : null, arch: f.image.arch ?? null, abi: f.image.abi ?? null,
        class: f.image.header.class, soname: f.image.soname, size: f.length, buildId: f.image.buildId ?? null,
        kernelVersion: f.image.kernelVersion ?? null, source: f.source, offset: hex(BigInt(f.offset)),
      })),
    }, null, 2) + '\n');
  } else {
    for (const [i, f] of found.entries()) {
      io.out(`${(opts.output ? join(opts.output, names[i]) : names[i]).padEnd(24)} ${(f.image.arch ?? '?').padEnd(8)} ${String(f.length).padStart(6)} bytes  ${f.image.soname}  kernel ${f.image.kernelVersion ?? '?'}  build-id ${f.image.buildId ?? '-'}  (${f.source} +${hex(BigInt(f.offset))})\n`);
    }
  }
  return 0;
}
