import type { KernelFamily } from '../arch.js';
import type { ProfileRow } from '../profile-types.js';
import { ARM } from './arm.js';
import { ARM64 } from './arm64.js';
import { LOONGARCH } from './loongarch.js';
import { MIPS } from './mips.js';
import { PARISC } from './parisc.js';
import { POWERPC } from './powerpc.js';
import { RISCV } from './riscv.js';
import { S390 } from './s390.js';
import { SH } from './sh.js';
import { SPARC } from './sparc.js';
import { VENDOR_ROWS } from './vendor.js';
import { X86 } from './x86.js';

// Each family's mainline (and backport) rows, then the vendor rows read in vendor trees.
const withVendors = (rows: ProfileRow[]): ProfileRow[] => [...rows, ...VENDOR_ROWS.filter((v) => v.family === rows[0].family && !rows.includes(v))];

export const PROFILES: Record<KernelFamily, ProfileRow[]> = {
  x86: withVendors(X86), arm64: withVendors(ARM64), arm: withVendors(ARM), powerpc: withVendors(POWERPC), s390: withVendors(S390),
  riscv: withVendors(RISCV), mips: withVendors(MIPS), loongarch: withVendors(LOONGARCH), sparc: withVendors(SPARC),
  parisc: withVendors(PARISC), sh: withVendors(SH),
};

export const ALL_PROFILES: ProfileRow[] = Object.values(PROFILES).flat();

/**
 * Families whose every layout is the text vma alone (parisc, sh): what any family's kernel
 * prints once it loses its data pages, so their lines alone never tell them from a regression.
 */
export const TEXT_ONLY_FAMILIES: ReadonlySet<KernelFamily> = new Set((Object.keys(PROFILES) as KernelFamily[])
  .filter((f) => PROFILES[f].every((r) => r.regions.every((g) => g.role === 'text'))));

/** What the family's kernels embed as the [vdso] image, where all its rows agree (a user profile's default). */
export const embedsOf = (f: KernelFamily): ProfileRow['embeds'] => PROFILES[f].every((r) => r.embeds === 'unstripped') ? 'unstripped' : 'stripped';
