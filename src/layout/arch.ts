// Architecture names as users type them (uname -m, kernel ARCH, Debian) → the kernel's arch
// family, and which task ABIs run on it (native and compat).
import type { ArchName } from '../elf/index.js';
import { UsageError } from '../errors.js';

export type KernelFamily = 'x86' | 'arm64' | 'arm' | 'powerpc' | 's390' | 'riscv' | 'mips' | 'loongarch';

export interface ArchChoice { family: KernelFamily; kernelBits: 32 | 64; task: ArchName }

const NAMES: Record<string, ArchChoice> = {
  // uname -m
  x86_64: { family: 'x86', kernelBits: 64, task: 'x86_64' },
  i386: { family: 'x86', kernelBits: 32, task: 'i386' }, i486: { family: 'x86', kernelBits: 32, task: 'i386' },
  i586: { family: 'x86', kernelBits: 32, task: 'i386' }, i686: { family: 'x86', kernelBits: 32, task: 'i386' },
  aarch64: { family: 'arm64', kernelBits: 64, task: 'aarch64' },
  armv7l: { family: 'arm', kernelBits: 32, task: 'arm' }, armv6l: { family: 'arm', kernelBits: 32, task: 'arm' },
  armv5tel: { family: 'arm', kernelBits: 32, task: 'arm' }, armv8l: { family: 'arm', kernelBits: 32, task: 'arm' },
  ppc64le: { family: 'powerpc', kernelBits: 64, task: 'ppc64le' }, ppc64: { family: 'powerpc', kernelBits: 64, task: 'ppc64' },
  ppc: { family: 'powerpc', kernelBits: 32, task: 'ppc' }, ppcle: { family: 'powerpc', kernelBits: 32, task: 'ppcle' },
  s390x: { family: 's390', kernelBits: 64, task: 's390x' },
  riscv64: { family: 'riscv', kernelBits: 64, task: 'riscv64' }, riscv32: { family: 'riscv', kernelBits: 32, task: 'riscv32' },
  mips64: { family: 'mips', kernelBits: 64, task: 'mips64' }, mips: { family: 'mips', kernelBits: 32, task: 'mips' },
  loongarch64: { family: 'loongarch', kernelBits: 64, task: 'loongarch64' },
  // kernel ARCH
  x86: { family: 'x86', kernelBits: 64, task: 'x86_64' }, arm64: { family: 'arm64', kernelBits: 64, task: 'aarch64' },
  arm: { family: 'arm', kernelBits: 32, task: 'arm' }, powerpc: { family: 'powerpc', kernelBits: 64, task: 'ppc64le' },
  s390: { family: 's390', kernelBits: 64, task: 's390x' }, riscv: { family: 'riscv', kernelBits: 64, task: 'riscv64' },
  loongarch: { family: 'loongarch', kernelBits: 64, task: 'loongarch64' },
  // Debian
  amd64: { family: 'x86', kernelBits: 64, task: 'x86_64' }, armhf: { family: 'arm', kernelBits: 32, task: 'arm' },
  armel: { family: 'arm', kernelBits: 32, task: 'arm' }, ppc64el: { family: 'powerpc', kernelBits: 64, task: 'ppc64le' },
  mips64el: { family: 'mips', kernelBits: 64, task: 'mips64' }, mipsel: { family: 'mips', kernelBits: 32, task: 'mips' },
  loong64: { family: 'loongarch', kernelBits: 64, task: 'loongarch64' }, x32: { family: 'x86', kernelBits: 64, task: 'x32' },
};

const ARCH_NAMES = Object.keys(NAMES);

export function parseArch(name: string): ArchChoice {
  const c = NAMES[name.trim().toLowerCase()];
  if (!c) throw new UsageError(`unknown architecture '${name}' (expected one of: ${ARCH_NAMES.join(', ')})`);
  return c;
}

/** The family whose kernels run tasks of this ABI natively. */
export function familyOfTask(task: ArchName): KernelFamily {
  switch (task) {
    case 'x86_64': case 'i386': case 'x32': return 'x86';
    case 'aarch64': return 'arm64';
    case 'arm': return 'arm';
    case 'ppc64': case 'ppc64le': case 'ppc': case 'ppcle': return 'powerpc';
    case 's390x': case 's390': return 's390';
    case 'riscv64': case 'riscv32': return 'riscv';
    case 'mips64': case 'mips': return 'mips';
    case 'loongarch64': case 'loongarch32': return 'loongarch';
    case 'sparc64': throw new UsageError('sparc64 has no vdso-layout profile yet');
  }
}

/** Task ABIs a kernel family runs: the first is native, the rest are compat. */
export const TASKS_OF: Record<KernelFamily, ArchName[]> = {
  x86: ['x86_64', 'i386', 'x32'], arm64: ['aarch64', 'arm'], arm: ['arm'],
  powerpc: ['ppc64le', 'ppc64', 'ppc', 'ppcle'], s390: ['s390x', 's390'], riscv: ['riscv64', 'riscv32'],
  mips: ['mips64', 'mips'], loongarch: ['loongarch64'],
};

