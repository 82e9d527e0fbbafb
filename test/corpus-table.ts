// Which image each corpus capture's process maps (checked by build-id against the dumped
// [vdso] bytes where the corpus has them: see layout.test.ts).
export interface CaptureCase { entry: string; maps: string; image: string; auxv?: string }

export const CAPTURES: CaptureCase[] = [
  { entry: 'amd64-5.10.0-46-amd64', maps: 'maps-pid1.txt', image: 'vdso64.so', auxv: 'auxv-pid1.txt' },
  { entry: 'amd64-5.10.0-46-amd64', maps: 'maps-compat32.txt', image: 'vdso32.so' },
  { entry: 'amd64-5.10.0-46-amd64+vsyscall=emulate', maps: 'maps-pid1.txt', image: 'vdso64.so', auxv: 'auxv-pid1.txt' },
  { entry: 'amd64-5.10.0-46-amd64+vsyscall=emulate', maps: 'maps-compat32.txt', image: 'vdso32.so' },
  { entry: 'amd64-6.1.0-56-amd64', maps: 'maps-pid1.txt', image: 'vdso64.so', auxv: 'auxv-pid1.txt' },
  { entry: 'amd64-6.1.0-56-amd64', maps: 'maps-compat32.txt', image: 'vdso32.so' },
  { entry: 'amd64-7.2.13+deb14-amd64', maps: 'maps-pid1.txt', image: 'vdso64.so', auxv: 'auxv-pid1.txt' },
  { entry: 'amd64-7.2.13+deb14-amd64', maps: 'maps-compat32.txt', image: 'vdso32.so' },
  { entry: 'arm64-5.10.0-32-arm64', maps: 'maps-pid1.txt', image: 'vdso64.so', auxv: 'auxv-pid1.txt' },
  { entry: 'arm64-5.10.0-32-arm64', maps: 'maps-compat32.txt', image: 'vdso32.so' },
  { entry: 'arm64-6.1.0-56-arm64', maps: 'maps-pid1.txt', image: 'vdso64.so', auxv: 'auxv-pid1.txt' },
  { entry: 'arm64-6.1.0-56-arm64', maps: 'maps-compat32.txt', image: 'vdso32.so' },
  { entry: 'armhf-5.10.0-32-armmp', maps: 'maps-pid1.txt', image: 'vdso.so', auxv: 'auxv-pid1.txt' },
  { entry: 'armhf-6.1.0-50-armmp', maps: 'maps-pid1.txt', image: 'vdso.so', auxv: 'auxv-pid1.txt' },
  { entry: 'armhf-6.1.0-50-armmp-lpae', maps: 'maps-pid1.txt', image: 'vdso.so', auxv: 'auxv-pid1.txt' },
  { entry: 'armhf-7.2.13+deb14-armmp', maps: 'maps-pid1.txt', image: 'vdso.so', auxv: 'auxv-pid1.txt' },
  { entry: 'i386-5.10.0-32-686', maps: 'maps-pid1.txt', image: 'vdso32.so', auxv: 'auxv-pid1.txt' },
  { entry: 'i386-6.1.0-50-686-pae', maps: 'maps-pid1.txt', image: 'vdso32.so', auxv: 'auxv-pid1.txt' },
  { entry: 'loong64-7.2.13+deb14-loong64', maps: 'maps-pid1.txt', image: 'vdso.so', auxv: 'auxv-pid1.txt' },
  { entry: 'mips64el-6.1.0-50-5kc-malta', maps: 'maps-pid1.txt', image: 'vdso-n64.so', auxv: 'auxv-pid1.txt' },
  { entry: 'ppc64el-5.10.262-vdsocorpus-ppc64le', maps: 'maps-pid1.txt', image: 'vdso64.so', auxv: 'auxv-pid1.txt' },
  { entry: 'ppc64el-6.1.0-50-powerpc64le', maps: 'maps-pid1.txt', image: 'vdso64.so', auxv: 'auxv-pid1.txt' },
  { entry: 'ppc64el-6.12.95+deb12-powerpc64le-64k', maps: 'maps-pid1.txt', image: 'vdso64.so', auxv: 'auxv-pid1.txt' },
  { entry: 'ppc64el-7.2.13+deb14-powerpc64le', maps: 'maps-pid1.txt', image: 'vdso64.so', auxv: 'auxv-pid1.txt' },
  { entry: 'riscv64-7.2.13+deb14-riscv64', maps: 'maps-pid1.txt', image: 'vdso.so', auxv: 'auxv-pid1.txt' },
  { entry: 's390x-6.1.0-50-s390x', maps: 'maps-pid1.txt', image: 'vdso64.so', auxv: 'auxv-pid1.txt' },
  { entry: 's390x-7.2.13+deb14-s390x', maps: 'maps-pid1.txt', image: 'vdso.so', auxv: 'auxv-pid1.txt' },
];
