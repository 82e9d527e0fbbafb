// Kernel release strings ("6.1.0-56-amd64", "7.2.13+deb14-amd64", "5.12.3") → comparable tuples.
export type KernelVersion = readonly [number, number, number];

// Parsed once per string: a check reads the profile rows' since/until and the image's release for
// every capture. Bounded, as a long run may meet many releases; the tuples are read-only.
const PARSED_LIMIT = 1024;
const parsed = new Map<string, KernelVersion | undefined>();

export function parseKernelVersion(s: string): KernelVersion | undefined {
  if (parsed.has(s)) return parsed.get(s);
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(s.trim());
  const version: KernelVersion | undefined = m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(s, version);
  return version;
}

export function compareVersions(a: KernelVersion, b: KernelVersion): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export interface KernelRelease {
  version: KernelVersion;
  /**
   * False when the third number is not the stable SUBLEVEL: distribution ABI names keep it at 0
   * ("6.1.0-56-amd64" is 6.1.1xx, "5.15.0-91-generic", "4.18.0-553.el8_10"), as does a bare "6.1".
   */
  sublevelKnown: boolean;
}

// x.y.0 followed by a distribution ABI number ("-56-", "-91-", "-553.") or a vendor tag.
const ABI_SUFFIX = /^\d+\.\d+\.0-\d+(?:[.-]|$)/;

export function parseRelease(s: string): KernelRelease | undefined {
  const t = s.trim();
  const version = parseKernelVersion(t);
  if (!version) return undefined;
  const hasSublevel = /^v?\d+\.\d+\.\d+/.test(t);
  return { version, sublevelKnown: hasSublevel && !ABI_SUFFIX.test(t.replace(/^v/, '')) };
}

export const formatVersion = (v: KernelVersion): string => v.join('.');
