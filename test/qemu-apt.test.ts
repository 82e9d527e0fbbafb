import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers.js';

// scripts/lib/apt.sh (shared by fetch-kernels.sh, qemu-check.sh and qemu-matrix.sh) takes the
// archives from apt's configuration and adds only suites; fetch-kernels.sh never records a kernel
// as gone because an index failed to update. Checked against made-up apt configurations (the
// URIs are placeholders under .invalid and a closed local port: no network is used).
const LIB = join(ROOT, 'scripts', 'lib', 'apt.sh');
function withEtc(files: Record<string, string>) {
  const etc = mkdtempSync(join(tmpdir(), 'vl-apt-'));
  mkdirSync(join(etc, 'sources.list.d'));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(etc, f), text);
  return etc;
}
function lib(etc: string, script: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `. "${LIB}"; ${script}`], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: etc, VDSO_LAYOUT_APT_ETC: etc, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const URIS = 'apt_debian_uris && echo "$APT_DEBIAN_URI|$APT_SECURITY_URI|$APT_SIGNED_BY"';

describe('scripts/lib/apt.sh: the Debian archives come from the machine\'s apt configuration', () => {
  it('one-line sources.list: the Debian suites (and signed-by) are taken, third-party repositories ignored', () => {
    const etc = withEtc({
      'sources.list': '# a comment\ndeb http://third.invalid/apt cloud-sdk-bookworm main\ndeb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://a.invalid/archive bookworm main contrib\ndeb http://a.invalid/archive-security bookworm-security main\n',
    });
    expect(lib(etc, URIS).stdout).toBe('http://a.invalid/archive|http://a.invalid/archive-security|/usr/share/keyrings/k.gpg\n');
  });
  it('deb822 .sources: several suites per paragraph, Enabled: no skipped, a .list elsewhere too', () => {
    const etc = withEtc({
      'sources.list.d/old.sources': 'Types: deb\nURIs: http://old.invalid/archive\nSuites: trixie\nComponents: main\nEnabled: no\n',
      'sources.list.d/debian.sources': 'Types: deb deb-src\n# a comment\nURIs: http://b.invalid/archive\nSuites: trixie trixie-updates\nComponents: main\nSigned-By: /usr/share/keyrings/archive-keyring.gpg\n\nTypes: deb\nURIs: http://b.invalid/archive-security\nSuites: trixie-security\nComponents: main\n',
      'sources.list.d/node.sources': 'Types: deb\nURIs: https://node.invalid/node_20.x\nSuites: nodistro\nComponents: main\n',
    });
    expect(lib(etc, URIS).stdout).toBe('http://b.invalid/archive|http://b.invalid/archive-security|/usr/share/keyrings/archive-keyring.gpg\n');
  });
  it('no Debian source at all is one clear line; VDSO_LAYOUT_DEBIAN_URI stands in for it', () => {
    const etc = withEtc({ 'sources.list': 'deb http://third.invalid/apt nodistro main\n' });
    const r = lib(etc, URIS);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^no Debian archive in this machine's apt sources .*set VDSO_LAYOUT_DEBIAN_URI to a Debian mirror's URL$/m);
    expect(lib(etc, URIS, { VDSO_LAYOUT_DEBIAN_URI: 'http://c.invalid/archive' }).stdout).toBe('http://c.invalid/archive||\n');
  });
  it('a private state adds only suites (with -security where the archive has it) to the configured URIs', () => {
    const etc = withEtc({ 'sources.list': 'deb http://a.invalid/archive bookworm main\ndeb http://a.invalid/archive-security bookworm-security main\n' });
    const dir = mkdtempSync(join(tmpdir(), 'vl-apt-state-'));
    const r = lib(etc, `apt_private_init "${dir}" "bullseye sid" "arm64 armhf" && printf '%s\\n' "\${APT_OPTS[@]}" | grep Architectures`);
    expect(r.stdout).toBe('APT::Architectures::=arm64\nAPT::Architectures::=armhf\n');
    expect(readFileSync(join(dir, 'sources.list'), 'utf8')).toBe('deb http://a.invalid/archive bullseye main\ndeb http://a.invalid/archive-security bullseye-security main\ndeb http://a.invalid/archive sid main\n');
  });
});

const hasApt = spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
describe.skipIf(!hasApt)('scripts/fetch-kernels.sh: a failed index update never marks a kernel as gone', () => {
  // A closed local port: every index download fails at once.
  const env = { PATH: process.env.PATH, HOME: tmpdir(), VDSO_LAYOUT_DEBIAN_URI: 'http://127.0.0.1:9/archive', VDSO_LAYOUT_DEBIAN_SECURITY_URI: 'http://127.0.0.1:9/archive-security', VDSO_LAYOUT_FETCH_ONLY: 'bookworm amd64', VDSO_LAYOUT_RETRY_SLEEP: '0' };
  // apt's own retries (with back-off) would make each failure take seconds.
  const conf = join(withEtc({ 'apt.conf': 'Acquire::Retries "0";\n' }), 'apt.conf');
  const fetch = (cache: string) => spawnSync('bash', ['--norc', '--noprofile', join(ROOT, 'scripts', 'fetch-kernels.sh'), cache], { encoding: 'utf8', env: { ...env, APT_CONFIG: conf, VDSO_LAYOUT_APT_ETC: withEtc({}) } });
  it('with a kernel cached: it is kept, and the run says why', () => {
    const cache = mkdtempSync(join(tmpdir(), 'vl-kc-'));
    const line = 'bookworm\tamd64\tamd64\tok\tlinux-image-6.1.0-50-amd64\t6.1.176-1\tvmlinuz-6.1.0-50-amd64\tx.deb\n';
    writeFileSync(join(cache, 'kernels.tsv'), line);
    writeFileSync(join(cache, 'vmlinuz-6.1.0-50-amd64'), 'kernel');
    writeFileSync(join(cache, 'UNAVAILABLE'), 'linux-image-6.1.0-56-amd64:amd64\n'); // from an older version of the script
    const r = fetch(cache);
    expect(r.stderr).toContain('fetch-kernels: bookworm amd64 amd64: index not updated; keeping the cached kernel');
    expect(r.status).toBe(0);
    expect(readFileSync(join(cache, 'kernels.tsv'), 'utf8')).toBe(line);
    expect(existsSync(join(cache, 'UNAVAILABLE'))).toBe(false);
  }, 60_000);
  it('with nothing cached: "unresolved" (which the extract tests fail on under CI), exit 1, never "absent"', () => {
    const cache = mkdtempSync(join(tmpdir(), 'vl-kc-'));
    const r = fetch(cache);
    expect(r.status).toBe(1);
    expect(readFileSync(join(cache, 'kernels.tsv'), 'utf8')).toBe('bookworm\tamd64\tamd64\tunresolved\t-\t-\t-\tthe bookworm index for amd64 failed to update\n');
  }, 60_000);
});
