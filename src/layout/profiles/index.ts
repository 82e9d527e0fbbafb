import type { KernelFamily } from '../arch.js';
import type { ProfileRow } from '../profile-types.js';
import { ARM } from './arm.js';
import { ARM64 } from './arm64.js';
import { LOONGARCH } from './loongarch.js';
import { MIPS } from './mips.js';
import { POWERPC } from './powerpc.js';
import { RISCV } from './riscv.js';
import { S390 } from './s390.js';
import { X86 } from './x86.js';

export const PROFILES: Record<KernelFamily, ProfileRow[]> = {
  x86: X86, arm64: ARM64, arm: ARM, powerpc: POWERPC, s390: S390, riscv: RISCV, mips: MIPS, loongarch: LOONGARCH,
};

export const ALL_PROFILES: ProfileRow[] = Object.values(PROFILES).flat();
