// What the CLI leaves on disk when it writes a file: a --report is replaced whole (written beside
// it, then renamed), a bundle from `capture -o` is whole or not there. On a disk that fills up
// mid-write (a 16K tmpfs, which needs root and mount) the earlier report stays and no cut bundle
// is left; elsewhere that part skips and says why.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, sample, ROOT, AMD64_ENTRY } from './helpers.js';

const maps = sample(AMD64_ENTRY, 'maps-pid1.txt');
const bin = join(ROOT, 'bin', 'vdso-layout.js');

describe('--report FILE is replaced whole', () => {
  it('a regular file is renamed over (a new inode, no temporary left); a link keeps pointing at the file it named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-report-'));
    const report = join(dir, 'r.json');
    writeFileSync(report, 'an earlier report');
    const before = statSync(report).ino;
    expect(cli(['check', maps, '--report', `json=${report}`]).code).toBe(0);
    expect(statSync(report).ino).not.toBe(before);
    expect(JSON.parse(readFileSync(report, 'utf8')).results[0].verdict).toBe('pass');
    expect(readdirSync(dir)).toEqual(['r.json']);
    // Through a link: the link stays a link, the file it names holds the new report.
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'k.ktap'), 'old');
    symlinkSync(join('real', 'k.ktap'), join(dir, 'k.ktap'));
    expect(cli(['check', maps, '--report', `ktap=${join(dir, 'k.ktap')}`]).code).toBe(0);
    expect([lstatSync(join(dir, 'k.ktap')).isSymbolicLink(), readlinkSync(join(dir, 'k.ktap'))]).toEqual([true, join('real', 'k.ktap')]);
    expect(readFileSync(join(dir, 'real', 'k.ktap'), 'utf8')).toMatch(/^KTAP version 1\n/);
    expect(readdirSync(join(dir, 'real'))).toEqual(['k.ktap']);
  });
  it('one file named by two --report, in any spelling or through a link: refused, and the file untouched (it held the refusal\'s KTAP)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-report-twice-'));
    const report = join(dir, 'r.json');
    writeFileSync(report, 'precious');
    symlinkSync('r.json', join(dir, 'link.json'));
    for (const other of [report, join(dir, '.', 'r.json'), join(dir, 'link.json')]) {
      const r = cli(['check', maps, '--report', `json=${report}`, '--report', `ktap=${other}`]);
      expect([r.code, r.stderr]).toEqual([2, `vdso-layout: --report: ${other} is named twice${other === report ? '' : ` (as ${report})`}\n`]);
      expect(readFileSync(report, 'utf8')).toBe('precious');
    }
  });
  it('a report into the file or pipe stdout goes to is refused: two documents would run into one (a terminal or /dev/null takes both)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-report-stdout-'));
    const out = join(dir, 'out.ktap');
    for (const [shell, report] of [[`"$@" > ${out}`, `json=${out}`], ['"$@" | cat', 'json=/dev/stdout']] as const) {
      const r = spawnSync('sh', ['-c', shell, 'sh', process.execPath, bin, 'check', maps, '--format', 'ktap', '--report', report], { encoding: 'utf8' });
      expect(r.stderr).toBe(`vdso-layout: --report ${report}: that is where stdout goes; the two documents would run into one (use --format json for stdout)\n`);
      const ktap = shell.includes('|') ? r.stdout : readFileSync(out, 'utf8');
      expect(ktap).toMatch(/^KTAP version 1\n1\.\.1\n/);
      expect(ktap).not.toContain('"schema"');
    }
  });
  it('a device is written as it is, never renamed over (/dev/null stays the device)', () => {
    expect(cli(['check', maps, '--report', 'json=/dev/null']).code).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});

// A full disk, for real: a 16K tmpfs filled to its last page.
const root = process.getuid?.() === 0;
const probe = root ? mkdtempSync(join(tmpdir(), 'vl-full-probe-')) : undefined;
const canMount = probe !== undefined && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', probe]).status === 0;
if (canMount) { spawnSync('umount', [probe!]); rmdirSync(probe!); }
const why = !root ? 'not root (a tmpfs mount needs it)' : !canMount ? 'mount -t tmpfs is not allowed here' : '';
if (why) console.log(`skipping the full-disk writes: ${why}`);

describe.skipIf(why !== '')(`on a disk that fills up${why ? ` (skipped: ${why})` : ''}`, () => {
  const full = () => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-full-'));
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir]).status).toBe(0);
    return { dir, fill: () => spawnSync('sh', ['-c', `cat /dev/zero > ${dir}/filler 2>/dev/null`]), done: () => { spawnSync('umount', [dir]); rmdirSync(dir); } };
  };
  it('--report: exit 2 with one line, and the earlier report is still there, whole', () => {
    const d = full();
    try {
      const report = join(d.dir, 'r.json');
      expect(cli(['check', maps, '--report', `json=${report}`]).code).toBe(0);
      const earlier = readFileSync(report, 'utf8');
      d.fill();
      const r = cli(['check', maps, sample(AMD64_ENTRY, 'maps-dyn.txt'), '--report', `json=${report}`]);
      expect([r.code, r.stderr]).toEqual([2, `vdso-layout: ${report}: cannot write this report: no space left on the device\n`]);
      expect(readFileSync(report, 'utf8')).toBe(earlier);
      expect(readdirSync(d.dir).sort()).toEqual(['filler', 'r.json']);
    } finally { d.done(); }
  });
  it('capture -o: exit 2 with one line, and no cut bundle left to check or to refuse the retry', () => {
    const d = full();
    try {
      d.fill();
      const out = join(d.dir, 'cap.txt');
      const r = spawnSync(process.execPath, [bin, 'capture', '-o', out], { encoding: 'utf8' });
      expect([r.status, r.stderr]).toEqual([2, `vdso-layout: ${out}: no space left on the device\n`]);
      expect(readdirSync(d.dir)).toEqual(['filler']);
    } finally { d.done(); }
  });
});
