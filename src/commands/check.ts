import type { ChalkInstance } from 'chalk';
import { keepForCheck } from '../check/check.js';
import type { CheckResult } from '../check/findings.js';
import { checkCapture, checkLive, errorResult, type CheckFlagsInput } from '../check/inputs.js';
import { UsageError } from '../errors.js';
import { openByteStream, readInputBytes, readProcBytes, readProcText } from '../io.js';
import { readLiveVdso } from '../live.js';
import { parseAuxvAny } from '../maps/auxv.js';
import { readCapture, readCaptureStream, type Capture } from '../maps/capture.js';
import { loadDiff, render, type Format } from '../report/check.js';
import { loadImage, loadProfile, parseArchFlag, parseKernelBits, parseKernelFlag, parsePageSize, type LayoutFlags } from './options.js';

export interface CheckFlags extends LayoutFlags {
  auxv?: string; auxvWordSize?: '4' | '8'; auxvEndian?: 'le' | 'be'; format: Format; strict?: boolean; quiet?: boolean; verbose?: boolean;
  /** The byte scanner for large captures (VDSO_LAYOUT_SCANNER=js selects the JavaScript one). */
  scanner?: 'js' | 'wasm';
}
export interface Streams { out: (s: string) => void; err: (s: string) => void; chalk: ChalkInstance }

export async function runCheck(captures: string[], opts: CheckFlags, io: Streams): Promise<number> {
  const formats: Format[] = ['text', 'json', 'ktap', 'junit', 'github'];
  if (!formats.includes(opts.format)) throw new UsageError(`--format: expected one of ${formats.join(', ')}, not '${opts.format}'`);
  const kernel = parseKernelFlag(opts.kernel);
  const image = opts.vdso ? loadImage(opts.vdso) : undefined;
  const auxvOpts = { wordSize: opts.auxvWordSize ? (Number(opts.auxvWordSize) as 4 | 8) : undefined, endian: opts.auxvEndian };
  const flagAuxv = opts.auxv ? parseAuxvAny(readInputBytes(opts.auxv, 'auxv'), { ...auxvOpts, file: opts.auxv }) : undefined;
  const flags: CheckFlagsInput = {
    image, arch: parseArchFlag(opts.arch), kernel, auxv: flagAuxv,
    pageSize: opts.pageSize ? parsePageSize(opts.pageSize) : undefined, profile: loadProfile(opts.profile),
    kernelBits: parseKernelBits(opts.kernelBits),
  };
  const results: CheckResult[] = [];

  if (captures.length === 0) {
    // The running machine: this process's maps, auxv and [vdso] bytes.
    const cap = readCapture(readProcText('/proc/self/maps'), { file: '/proc/self/maps', keep: keepForCheck });
    const live = readLiveVdso(cap);
    results.push(...checkLive(cap, live.bytes, parseAuxvAny(readProcBytes('/proc/self/auxv'), { file: '/proc/self/auxv' }), flags));
  }

  for (const file of captures) {
    let cap: Capture;
    try {
      cap = await readCaptureStream(openByteStream(file), { file, strict: opts.strict, keep: keepForCheck, scanner: opts.scanner });
    } catch (e) {
      results.push(errorResult(file, e));
      continue;
    }
    results.push(...checkCapture(cap, flags));
  }

  if (opts.format === 'text' && results.some((r) => r.verdict === 'fail')) await loadDiff();
  io.out(render(opts.format, results, io.chalk, { quiet: opts.quiet, verbose: opts.verbose }));
  for (const r of results) if (r.verdict === 'error') io.err(`vdso-layout: ${r.message}\n`);
  if (results.some((r) => r.verdict === 'error')) return 2;
  return results.some((r) => r.verdict === 'fail') ? 1 : 0;
}
