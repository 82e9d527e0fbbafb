// Kernel release strings ("6.1.0-56-amd64", "7.2.13+deb14-amd64", "5.12.3") → comparable tuples.
export type KernelVersion = readonly [number, number, number];

export function parseKernelVersion(s: string): KernelVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(s.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareVersions(a: KernelVersion, b: KernelVersion): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
