// The capture bundle's one format (src/capture/bundle-format.ts): what the writers print, the
// reader reads back, and a bundle of another version is refused with its position.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../src/errors.js';
import { BUNDLE_BEGIN, BUNDLE_END, BUNDLE_VERSION, HEADER, SECTION } from '../src/capture/bundle-format.js';
import { CAPTURE_SCRIPT, formatBundle } from '../src/capture/script.js';
import { readCapture } from '../src/capture/index.js';
import { cli, ROOT } from './helpers.js';

const MAPS = '7ffc6bbe0000-7ffc6bbe2000 r--p 00000000 00:00 0                          [vvar]\n7ffc6bbe2000-7ffc6bbe4000 r-xp 00000000 00:00 0                          [vdso]\n';
// AT_PAGESZ 4096, AT_SYSINFO_EHDR 0x7ffc6bbe2000, AT_NULL (64-bit little-endian words)
const AUXV = new Uint8Array(48);
new DataView(AUXV.buffer).setBigUint64(0, 6n, true); new DataView(AUXV.buffer).setBigUint64(8, 4096n, true);
new DataView(AUXV.buffer).setBigUint64(16, 33n, true); new DataView(AUXV.buffer).setBigUint64(24, 0x7ffc6bbe2000n, true);
const parts = { unameR: '6.1.0-56-amd64', unameM: 'x86_64', pageSize: 4096, pid: 42, maps: MAPS, auxv: AUXV, vdso: { start: 0x7ffc6bbe2000n, end: 0x7ffc6bbe4000n, bytes: new Uint8Array([0x7f, 0x45, 0x4c, 0x46]) } };

describe('capture bundle format', () => {
  it('the script\'s one home is lava/vdso-capture.sh: capture-script-text.ts is its text as committed', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'capture-script.mjs'), '--check'], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(CAPTURE_SCRIPT).toBe(readFileSync(join(ROOT, 'lava', 'vdso-capture.sh'), 'utf8'));
  });

  it('the markers the shell script prints are exactly bundle-format.ts\'s, of this BUNDLE_VERSION', () => {
    const printed = new Set(CAPTURE_SCRIPT.split('\n').filter((l) => !/^\s*#/.test(l)).flatMap((l) => [...l.matchAll(/@@@[A-Z-]+(?: \d+ [A-Z]+)?/g)].map((m) => m[0])));
    expect([...printed].sort()).toEqual([BUNDLE_BEGIN, BUNDLE_END, SECTION.maps, SECTION.auxv, SECTION.vdso, SECTION.vdsoNone].sort());
    expect(CAPTURE_SCRIPT.split('\n')[1]).toContain(`capture bundle v${BUNDLE_VERSION}:`);
  });

  it('the shell script and formatBundle print the same markers and header keys', () => {
    const written = formatBundle(parts);
    for (const marker of [BUNDLE_BEGIN, BUNDLE_END, SECTION.maps, SECTION.auxv, SECTION.vdso]) {
      expect(CAPTURE_SCRIPT).toContain(marker);
      expect(written).toContain(marker);
    }
    for (const key of Object.values(HEADER)) {
      expect(CAPTURE_SCRIPT).toContain(`echo "${key}: `);
      expect(written).toContain(`\n${key}: `);
    }
  });

  it('what formatBundle writes reads back: header, maps block, decoded aux vector, [vdso] bytes', () => {
    const cap = readCapture(formatBundle(parts));
    expect(cap.bundles).toHaveLength(1);
    const b = cap.bundles[0];
    expect([b.version, b.unameR, b.unameM, b.pageSize, b.pid, b.complete]).toEqual([BUNDLE_VERSION, '6.1.0-56-amd64', 'x86_64', 4096n, 42, true]);
    expect(b.auxv?.sysinfoEhdr).toBe(0x7ffc6bbe2000n);
    expect(b.auxv?.pageSize).toBe(4096n);
    expect(b.vdso?.bytes).toEqual(parts.vdso.bytes);
    expect(cap.blocks[b.mapsBlock!].mappings.map((m) => m.name)).toEqual(['[vvar]', '[vdso]']);
  });

  it('an aux vector section that does not decode says why, in the record', () => {
    const cap = readCapture(formatBundle({ ...parts, auxv: new Uint8Array(5) }));
    expect(cap.bundles[0].auxv).toBeUndefined();
    expect(cap.bundles[0].auxvUnreadable).toMatch(/^not an aux vector/);
  });

  it('a bundle of another version is an input error at its BEGIN line', () => {
    const text = `console noise\n${formatBundle(parts).replace(BUNDLE_BEGIN, BUNDLE_BEGIN.replace(` ${BUNDLE_VERSION} `, ` ${BUNDLE_VERSION + 1} `))}`;
    let error: unknown;
    try { readCapture(text, { file: 'v2.log' }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).format()).toBe(`v2.log:3:1: capture bundle version ${BUNDLE_VERSION + 1}: this vdso-layout reads version ${BUNDLE_VERSION} (capture it again with this version's capture-script, or use a vdso-layout that reads ${BUNDLE_VERSION + 1})`);
  });

  it('check of such a bundle: exit 2, one line naming the file and line; JSON stays a document', () => {
    const text = formatBundle(parts).replace(BUNDLE_BEGIN, BUNDLE_BEGIN.replace(` ${BUNDLE_VERSION} `, ' 2 '));
    const r = cli(['check', '-'], { input: text });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`vdso-layout: -:2:1: capture bundle version 2: this vdso-layout reads version ${BUNDLE_VERSION} (capture it again with this version's capture-script, or use a vdso-layout that reads 2)`]);
    const j = cli(['check', '--format', 'json', '-'], { input: text });
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).results[0]).toMatchObject({ verdict: 'error', errorKind: 'capture' });
  });
  it('a bundle cut short inside its last maps line (no END, no final newline) is not judged: exit 2 at that line (a [vdso] cut to no name failed as vdso-unnamed)', () => {
    const real = readFileSync(join(ROOT, 'samples', 'host', 'bundle-busybox-sh.txt'), 'latin1');
    const at = real.indexOf('[vdso]\n');
    const cut = join(mkdtempSync(join(tmpdir(), 'vl-cut-')), 'bundle.txt');
    const line = real.lastIndexOf('\n', at) + 1;
    // Cut inside the name, inside the address (it failed as vdso-missing), and at the line's end.
    for (const [text, code] of [[real.slice(0, at), 2], [real.slice(0, line + 10), 2], [real.slice(0, at + 7), 0]] as const) {
      writeFileSync(cut, text);
      const r = cli(['check', cut]);
      expect(r.code, r.stderr).toBe(code);
      if (code === 2) expect(r.stderr).toBe(`vdso-layout: ${cut}:17: the bundle at line 2 has no END marker and the input stops inside this line: a capture cut short, not judged (capture it again)\n`);
    }
  });
});
