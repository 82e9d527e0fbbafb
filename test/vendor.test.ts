// Vendor kernels: rows read in vendor trees, chosen by uname -r, judged end to end from the CLI
// on a real capture (Debian 6.1 amd64's 4-page [vvar], the shape RHEL 8.4+ has on 4.18).
import { describe, expect, it } from 'vitest';
import type { KernelFamily } from '../src/layout/arch.js';
import { PROFILES } from '../src/layout/profiles/index.js';
import { selectFor } from '../src/layout/select.js';
import { sample, AMD64_ENTRY } from './helpers.js';
import { runCli } from './run-in-process.js';

const id = (f: KernelFamily, release: string) => selectFor(f, release).row.id;

describe('vendor release strings pick the rows read in their trees', () => {
  const cases: Array<[KernelFamily, string, string]> = [
    ['x86', '4.18.0-80.el8.x86_64', 'x86-rhel8-early'],
    ['x86', '4.18.0-240.22.1.el8_3.x86_64', 'x86-rhel8-early'],
    ['x86', '4.18.0-277.el8.x86_64', 'x86-rhel8-stream'],
    ['x86', '4.18.0-305.el8.x86_64', 'x86-rhel8'],
    ['x86', '4.18.0-553.rt7.342.el8_10.x86_64', 'x86-rhel8'],
    ['x86', '5.14.0-570.32.1.el9_6.x86_64', 'x86-rhel9'],
    ['x86', '4.4.0-106-generic', 'x86-ubuntu-xenial-early'],
    ['x86', '4.4.0-107-generic', 'x86-ubuntu-xenial-pvclock'],
    ['x86', '4.4.0-166-generic', 'x86-ubuntu-xenial-nohpet'],
    ['x86', '5.15.0-91-generic', 'x86-ubuntu-jammy'],
    ['x86', '6.6.77-android15-8-g0f9a8b7c6d5e', 'x86-android15-6.6'],
    ['arm64', '4.18.0-305.el8.aarch64', 'arm64-rhel8'],
    ['arm64', '5.10.198-android13-4-00050-g12f3388846c3', 'arm64-android-5.10'],
    ['powerpc', '5.14.0-427.el9.ppc64le', 'powerpc-rhel9'],
    ['s390', '5.4.0-150-generic', 's390-ubuntu-focal'],
  ];
  for (const [f, release, want] of cases) it(`${release} (${f}) → ${want}`, () => expect(id(f, release)).toBe(want));

  it('a distribution without vendor rows selects the mainline era (Debian 11 5.10.0-46-amd64 → x86-5.6)', () => {
    expect(id('x86', '5.10.0-46-amd64')).toBe('x86-5.6');
  });
  it('every vendor row names its release pattern and cites a tree', () => {
    const vendor = Object.values(PROFILES).flat().filter((r) => r.vendor);
    expect(vendor.length).toBeGreaterThan(40);
    for (const r of vendor) {
      expect(() => new RegExp(r.vendor!.release), r.id).not.toThrow();
      expect(r.read.length + (r.open ? 1 : 0), r.id).toBeGreaterThan(0);
    }
  });
  it('the rows where a vendor differs from mainline: RHEL 8.4+ x86 has 4 [vvar] pages where mainline 4.18 has 3', () => {
    const pages = (release: string) => selectFor('x86', release).row.regions.find((g) => g.name === '[vvar]')!.pages;
    expect(pages('4.18.0-305.el8.x86_64')).toBe(4);
    expect(pages('4.18.0-240.el8.x86_64')).toBe(3);
    expect(pages('4.18.0')).toBe(3); // mainline 4.18: x86-4.11
  });
});

describe('check with a vendor release string, from the built CLI', () => {
  const maps = sample(AMD64_ENTRY, 'maps-pid1.txt');
  it('RHEL 8.4+ (4.18.0-305): the 4-page [vvar] passes, against x86-rhel8', async () => {
    const r = await runCli(['check', maps, '--arch', 'x86_64', '--kernel', '4.18.0-305.el8.x86_64', '--format', 'json']);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout).results[0];
    expect(res.profile).toBe('x86-rhel8');
    expect(res.notes.join('\n')).toMatch(/RHEL 8 .*kernel \(release '4\.18\.0-305\.el8\.x86_64' matches/);
  });
  it('RHEL 8.3 (4.18.0-240): size, and a note naming the row that fits exactly; the verdict stays a failure', async () => {
    const r = await runCli(['check', maps, '--arch', 'x86_64', '--kernel', '4.18.0-240.22.1.el8_3.x86_64', '--format', 'json']);
    expect(r.code).toBe(1);
    const res = JSON.parse(r.stdout).results[0];
    expect(res.profile).toBe('x86-rhel8-early');
    expect(res.findings.filter((f: { severity: string }) => f.severity === 'error').map((f: { code: string }) => f.code)).toEqual(['size']);
    expect(res.notes.join('\n')).toMatch(/profile x86-5\.6 \(5\.6 to 6\.13\) fits this capture exactly; .*--profile x86-5\.6/);
  });
  it('--profile with the named row accepts it', async () => {
    const r = await runCli(['check', maps, '--arch', 'x86_64', '--kernel', '4.18.0-240.22.1.el8_3.x86_64', '--profile', 'x86-5.6', '-q']);
    expect(r.code).toBe(0);
  });
});
