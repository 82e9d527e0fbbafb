import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { sample, ROOT, AMD64_ENTRY } from './helpers.js';
import { runCli } from './run-in-process.js';

describe('vdso-layout inspect (built CLI)', () => {
  it('summarises a real image: arch, soname, kernel, build-id, pages, versioned symbols', async () => {
    const r = await runCli(['inspect', sample('amd64-7.2.13+deb14-amd64', 'vdso32.so')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('arch        i386  ELF32 little-endian, Intel 80386 (e_machine 3)');
    expect(r.stdout).toContain('soname      linux-gate.so.1');
    expect(r.stdout).toContain('kernel      7.2.13');
    expect(r.stdout).toMatch(/pages       3 at 4K, 1 at 16K, 1 at 64K/);
    expect(r.stdout).toMatch(/__kernel_vsyscall@@LINUX_2\.5/);
    expect(r.stdout).not.toMatch(/\x1b\[/); // NO_COLOR and not a TTY
  });

  it('--json follows schema vdso-layout/inspect/1 with bigints as hex strings', async () => {
    const r = await runCli(['inspect', '--json', sample('s390x-7.2.13+deb14-s390x', 'vdso.so'), sample('ppc64el-6.1.0-50-powerpc64le', 'vdso64.so')]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas/inspect-1.schema.json'), 'utf8')));
    expect(validate(j), JSON.stringify(validate.errors)).toBe(true);
    expect(j.schema).toBe('vdso-layout/inspect/1');
    expect(j.errors).toEqual([]);
    const [s390, ppc] = j.images;
    expect(s390).toMatchObject({ arch: 's390x', machine: 22, class: 64, endian: 'be', soname: 'linux-vdso.so.1', kernelVersion: '7.2.13' });
    expect(s390.versions).toEqual(['LINUX_2.6.29']);
    expect(s390.symbols.find((s: { name: string }) => s.name === '__kernel_clock_gettime')).toMatchObject({ table: 'dynsym', version: 'LINUX_2.6.29', type: 'FUNC' });
    expect(ppc).toMatchObject({ arch: 'ppc64le', endian: 'le', unstripped: true, imageSizeSource: 'estimated-from-dbg' });
    expect(ppc.dataPageSymbols).toEqual([{ name: '_vdso_datapage', offset: '-0x20000' }]);
    expect(ppc.fileSize).toBe('0x7008');
    for (const l of ppc.loads) expect(l.offset).toMatch(/^0x[0-9a-f]+$/);
  });

  it('reports each bad image on its own line, still shows the good ones, exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-'));
    const trunc = join(dir, 'trunc.so');
    writeFileSync(trunc, readFileSync(sample('arm64-6.1.0-56-arm64', 'vdso64.so')).subarray(0, 700));
    const before = readFileSync(trunc);
    const r = await runCli(['inspect', '--json', trunc, sample('arm64-6.1.0-56-arm64', 'vdso64.so'), join(dir, 'missing.so')]);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.images.map((i: { arch: string }) => i.arch)).toEqual(['aarch64']);
    expect(j.errors.map((e: { file: string }) => e.file)).toEqual([trunc, join(dir, 'missing.so')]);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      `vdso-layout: ${trunc}: section header table (13 x 64 bytes) runs past end of file (file is 0x2bc bytes) at offset 0x9c8 (e_shoff)`,
      `vdso-layout: ${join(dir, 'missing.so')}: no such file`,
    ]);
    expect(readFileSync(trunc)).toEqual(before); // inputs are never written
  });

  it('not ELF: one line, exit 2, no stack trace', async () => {
    const r = await runCli(['inspect', sample(AMD64_ENTRY, 'maps-pid1.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vdso-layout: ${sample(AMD64_ENTRY, 'maps-pid1.txt')}: not an ELF file: bad magic (expected 7f 45 4c 46) at offset 0x0 (e_ident[EI_MAG])\n`);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('--live reads this machine\'s own [vdso]', async () => {
    const r = await runCli(['inspect', '--live', '--json']);
    expect(r.code).toBe(0);
    const [im] = JSON.parse(r.stdout).images;
    expect(im.file).toBe('[vdso] of this process');
    expect(im.soname).toMatch(/^linux-(vdso|gate)/);
    expect(im.kernelVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('colors only when asked or on a TTY; NO_COLOR wins over auto', async () => {
    const img = sample('armhf-6.1.0-50-armmp', 'vdso.so');
    expect((await runCli(['inspect', img, '--color', 'always'])).stdout).toMatch(/\x1b\[1m/);
    expect((await runCli(['inspect', img], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } })).stdout).not.toMatch(/\x1b\[/);
    expect((await runCli(['inspect', img, '--color', 'never'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } })).stdout).not.toMatch(/\x1b\[/);
  });

  it('usage errors exit 2 with one line', async () => {
    const r = await runCli(['inspect', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("vdso-layout: unknown option '--bogus' (run vdso-layout --help for usage)\n");
  });
});
