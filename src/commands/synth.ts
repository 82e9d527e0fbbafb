import { hex, UsageError } from '../errors.js';
import { userSpaceTop64 } from '../check/evidence.js';
import { beforeTable } from '../layout/select.js';
import { computeLayout, defaultBase, pageCountValues, taskBits } from '../layout/engine.js';
import { diagram, layoutSummary, layoutToJson, synthLines } from '../report/layout.js';
import { loadImage, loadProfile, parseAddress, parseArchFlag, parseKernelBits, parseKernelFlag, parseNrCpus, parsePageSize, parseTextPages, type LayoutFlags } from './options.js';
import type { Streams } from './streams.js';


export function runSynth(opts: LayoutFlags & { base?: string; diagram?: boolean; json?: boolean; quiet?: boolean }, io: Streams): number {
  const layout = computeLayout({
    image: opts.vdso ? loadImage(opts.vdso) : undefined,
    arch: parseArchFlag(opts.arch),
    kernel: parseKernelFlag(opts.kernel), kernelFrom: opts.kernel ? 'flag' : undefined,
    pageSize: opts.pageSize ? parsePageSize(opts.pageSize) : undefined, pageSizeFrom: 'flag',
    kernelBits: parseKernelBits(opts.kernelBits),
    profile: loadProfile(opts.profile),
    textPages: parseTextPages(opts.textPages), textPagesFrom: opts.textPages ? 'flag' : undefined,
    nrCpus: parseNrCpus(opts.nrCpus), nrCpusFrom: opts.nrCpus !== undefined ? 'flag' : undefined, nrCpusSaid: `--nr-cpus ${opts.nrCpus}`,
  });
  // A kernel older than its family's table: the oldest row's lines would be a guess.
  const tooOld = opts.profile ? undefined : beforeTable(layout.family, layout.profile, layout.kernelVersion);
  if (tooOld) throw new UsageError(`${tooOld.why} (give --profile ${tooOld.oldest.id} to draw that row's lines)`);
  // A per-CPU area's lines are one NR_CPUS's: said, as the page size is when assumed.
  for (const r of layout.regions) {
    if (r.perCpu && r.perCpu.nrCpus === undefined && typeof r.allowed !== 'number') {
      layout.warnings.push(`no --nr-cpus: ${r.name ?? 'the data vma'} is shown at ${r.size / layout.pageSize} page${r.size === layout.pageSize ? '' : 's'}, a typical NR_CPUS's; it grows with NR_CPUS (${pageCountValues(r.allowed!).describe} pages at this page size)`);
    }
  }
  const base = opts.base ? parseAddress(opts.base, '--base') : defaultBase(layout);
  // The kernel maps the vDSO on a page boundary: lines at any other base are lines it never prints.
  if (base % layout.pageSize !== 0n) throw new UsageError(`--base: ${opts.base} is not a multiple of the page size (${layout.pageSize} bytes): the kernel maps the vDSO on a page boundary`);
  // Lines outside the task's address space are lines no kernel prints (and malformed ones: a
  // negative start, or a 32-bit task's vma past 4 GiB).
  const low = layout.regions.reduce((a, r) => (r.offset < a ? r.offset : a), 0n);
  const high = layout.regions.reduce((a, r) => (r.offset + r.size > a ? r.offset + r.size : a), 0n);
  const bits = taskBits(layout);
  if (base + low < 0n || base + high >= 1n << BigInt(bits)) {
    const given = [opts.base ? `--base ${opts.base}` : undefined, opts.textPages ? `--text-pages ${opts.textPages}` : undefined].filter(Boolean).join(' and ') || 'the layout';
    const at = (v: bigint) => `${v < 0n ? '-' : ''}0x${(v < 0n ? -v : v).toString(16)}`;
    throw new UsageError(`${given} put the vDSO cluster from ${at(base + low)} to ${at(base + high)}, outside a ${bits}-bit task's address space (0x0 to 0x${((1n << BigInt(bits)) - 1n).toString(16)})`);
  }
  // Nor does one place the vDSO above the top of the task's user space (a kernel-space --base).
  const top = bits === 64 ? userSpaceTop64(layout.family) : undefined;
  if (top !== undefined && base + high > top) {
    throw new UsageError(`--base ${opts.base ?? hex(base)} puts the vDSO cluster up to 0x${(base + high).toString(16)}, above where a ${layout.family} kernel's ${bits}-bit task's user space ends (0x${top.toString(16)}): no kernel maps it there`);
  }
  const lines = synthLines(layout, base);
  if (opts.json) { io.out(layoutToJson(layout, base, lines)); return 0; }
  for (const w of layout.warnings) io.err(`vdso-layout: warning: ${w}\n`);
  if (opts.diagram) {
    io.out(layoutSummary(layout).join('\n') + '\n');
    io.out(diagram(layout, base, io.chalk));
    return 0;
  }
  io.out(lines.join('\n') + '\n');
  return 0;
}
