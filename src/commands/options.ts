// Shared flag parsing for synth / check / diff: turns strings into typed layout inputs.
import { InputError, UsageError } from '../errors.js';
import { kernelImageKind } from '../extract/kernel-image.js';
import { parseVdsoImage, type VdsoImage } from '../elf/index.js';
import { readFileHead, readInputBytes, readInputText } from '../io.js';
import { parseArch, type ArchChoice } from '../layout/arch.js';
import type { ProfileRow } from '../layout/profile-types.js';
import { ALL_PROFILES } from '../layout/profiles/index.js';
import { findBuiltinProfile, parseUserProfile } from '../layout/user-profile.js';
import { pageSizeProblem } from '../layout/page-size.js';
import { hasUnsafeText } from '../report/escape.js';
import { parseRelease } from '../layout/version.js';

export interface LayoutFlags { vdso?: string; arch?: string; kernel?: string; pageSize?: string; profile?: string; kernelBits?: string; textPages?: string; nrCpus?: string }

export function parsePageSize(s: string): bigint {
  const m = /^(0x[0-9a-f]+|\d+)([kK])?$/.exec(s.trim());
  if (!m) throw new UsageError(`--page-size: expected bytes such as 4096, 16K, 64K or 0x10000, not '${s}'`);
  const v = BigInt(m[1]) * (m[2] ? 1024n : 1n);
  const problem = pageSizeProblem(v);
  if (problem) throw new UsageError(`--page-size: ${problem}`);
  return v;
}

export function parseAddress(s: string, flag: string): bigint {
  const t = s.trim().toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{1,16}$/.test(t)) throw new UsageError(`${flag}: expected a hex address such as 0x7fff12340000, not '${s}'`);
  return BigInt('0x' + t);
}

/** --kernel: a release as uname -r prints it (a bad one is one usage error up front, not per process). */
export function parseKernelFlag(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  // A release is printable (uname -r): one with a control character in it is no release.
  if (!parseRelease(s) || hasUnsafeText(s.trim())) throw new UsageError(`--kernel: expected a kernel release such as 6.1, 6.1.0-56-amd64 or 5.14.0-427.el9.x86_64, not '${s}'`);
  return s.trim();
}

export function parseKernelBits(s: string | undefined): 32 | 64 | undefined {
  if (s === undefined) return undefined;
  if (s === '32' || s === '64') return Number(s) as 32 | 64;
  throw new UsageError(`--kernel-bits: expected 32 or 64, not '${s}'`);
}

export function loadImage(file: string): VdsoImage {
  let bytes: Uint8Array;
  try {
    bytes = readInputBytes(file, 'image');
  } catch (e) {
    // Too large for a vDSO: a kernel given by mistake says so in its first bytes.
    const head = e instanceof InputError ? readFileHead(file, 4096) : undefined;
    throw (head && notAKernel(file, head)) ?? e;
  }
  const r = parseVdsoImage(bytes, file);
  if (!r.ok) throw notAKernel(file, bytes) ?? r.error;
  return r.value;
}

/** The error for a kernel given where a vDSO image belongs, pointing at `extract`. */
function notAKernel(file: string, head: Uint8Array): InputError | undefined {
  const kind = kernelImageKind(head);
  return kind ? new InputError(`this looks like a kernel image (${kind}), not a vDSO; \`vdso-layout extract\` takes the vDSO out of it`, { file }) : undefined;
}

export function loadProfile(spec: string | undefined): ProfileRow | undefined {
  if (spec === undefined) return undefined;
  const builtin = findBuiltinProfile(spec);
  if (builtin) return builtin;
  if (!/[./]/.test(spec)) throw new UsageError(`--profile: no built-in profile '${spec}' (see vdso-layout profiles), and it does not look like a file`);
  let text: string;
  try {
    text = readInputText(spec, 'profile');
  } catch (e) {
    // A row id has a dot ("x86-6.1"): a mistyped one is not a missing file to its writer.
    if (e instanceof InputError && e.message === 'no such file' && !spec.includes('/') && !spec.endsWith('.json')) {
      // The family as the ids spell it, whatever the case or separator typed (X86-5.6, x86_5.6).
      const family = ALL_PROFILES.find((r) => new RegExp(`^${r.family}[-_ ]`, 'i').test(spec))?.family;
      const rows = family ? ALL_PROFILES.filter((r) => r.family === family && !r.vendor).map((r) => r.id) : [];
      throw new UsageError(`--profile: no built-in profile '${spec}'${rows.length ? ` (the ${family} rows: ${rows.join(', ')}; see vdso-layout profiles)` : ' (see vdso-layout profiles)'}, and no file of that name`);
    }
    throw e;
  }
  return parseUserProfile(text, spec);
}

export function parseArchFlag(s: string | undefined): ArchChoice | undefined {
  return s === undefined ? undefined : parseArch(s);
}

/** --nr-cpus: the kernel's CONFIG_NR_CPUS (1 without SMP). */
export function parseNrCpus(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (!/^\d{1,5}$/.test(s) || Number(s) < 1) throw new UsageError(`--nr-cpus: expected the kernel's CONFIG_NR_CPUS, a whole number from 1 to 99999, not '${s}'`);
  return Number(s);
}

export function parseTextPages(s: string | undefined): bigint | undefined {
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s) || s === '0') throw new UsageError(`--text-pages: expected a positive whole number, not '${s}'`);
  return BigInt(s);
}
