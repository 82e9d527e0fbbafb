import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers.js';

// The LAVA job for real: scripts/lava-local.sh renders lava/jobs/qemu-x86_64.yaml.jinja2, runs it
// with LAVA's own dispatcher (lava-run) under QEMU with nothing fetched, and checks the job log.
// Needs lava-dispatcher (Debian; .ci/run installs it, about a minute), lava-server's device-type
// templates (/usr/share/lava-server/device-types or VDSO_LAYOUT_LAVA_DEVICE_TYPES; without them
// the script takes them from Debian's lava-server package with apt), the bookworm amd64 kernel
// scripts/fetch-kernels.sh caches (or VDSO_LAYOUT_LAVA_KERNEL) and a static busybox. Where one is
// missing it skips and says why; under CI=true, which installs them, it fails instead.
const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
const CACHE = process.env.VDSO_LAYOUT_KERNEL_CACHE ?? join(homedir(), '.cache', 'vdso-layout', 'kernels');
const cached = existsSync(join(CACHE, 'kernels.tsv'))
  ? readFileSync(join(CACHE, 'kernels.tsv'), 'utf8').split('\n').find((l) => l.startsWith('bookworm\tamd64\tamd64\tok\t'))
  : undefined;
const kernel = process.env.VDSO_LAYOUT_LAVA_KERNEL ?? (cached ? join(CACHE, cached.split('\t')[6]) : undefined);
const deviceTypes = process.env.VDSO_LAYOUT_LAVA_DEVICE_TYPES ?? '/usr/share/lava-server/device-types';
const haveDeviceTypes = existsSync(join(deviceTypes, 'qemu.jinja2'));
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p) && spawnSync('sh', ['-c', `file -L ${p} | grep -q 'statically linked'`]).status === 0);
const gitHead = spawnSync('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
const missing = !which('lava-run') ? 'lava-run is not installed (apt-get install --no-install-recommends lava-dispatcher)'
  : !which('qemu-system-x86_64') ? 'qemu-system-x86_64 is not installed'
  : !haveDeviceTypes && !which('apt-get') ? `no LAVA device types in ${deviceTypes} and no apt-get to take them from lava-server's package (set VDSO_LAYOUT_LAVA_DEVICE_TYPES)`
  : !kernel || !existsSync(kernel) ? 'no bookworm amd64 kernel (scripts/fetch-kernels.sh, or set VDSO_LAYOUT_LAVA_KERNEL)'
  : !busybox ? 'no static busybox (apt-get install busybox-static)'
  : !gitHead ? 'not a git checkout (the job clones the test definition from it)' : undefined;
if (missing) console.log(`lava-run test ${process.env.CI ? 'fails under CI' : 'skipped'}: ${missing}`);
const lavaIt = missing && !process.env.CI ? it.skip : it;

describe('scripts/lava-local.sh: the LAVA job run by lava-run, its log checked', () => {
  lavaIt('the job completes, the device reports its results, check passes the log; another era fails it', () => {
    expect(missing, missing).toBeUndefined();
    const out = mkdtempSync(join(tmpdir(), 'vl-lava-run-'));
    const args = ['--arch', 'amd64', '--kernel', kernel!, '--busybox', busybox!, '--no-compat', ...(haveDeviceTypes ? ['--device-types', deviceTypes] : []), '--revision', gitHead, '--out', out];
    const r = spawnSync('bash', [join(ROOT, 'scripts', 'lava-local.sh'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 600_000 });
    expect(r.stderr).toContain('lava-local: device result capture-native pass\nlava-local: device result layout-native skip\n');
    expect([r.status, r.stdout]).toEqual([0, expect.stringMatching(/^ok .*lava-run\.log#bundle: profile x86-5\.6, 4K pages, 64-bit kernel, kernel 6\.1\.\d+/)]);
    const log = readFileSync(join(out, 'lava-run.log'), 'utf8');
    expect(log).toContain('"msg": {"case": "job", "definition": "lava", "result": "pass"}');
    const bad = spawnSync(process.execPath, [join(ROOT, 'bin', 'vdso-layout.js'), 'check', join(out, 'lava-run.log'), '--profile', 'x86-6.15'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('error[vvar-missing]');
  }, 660_000);
});
