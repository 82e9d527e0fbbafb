// How the CLI writes: straight to fds 1 and 2 (no process.stdout, for start-up), falling back to
// the streams when a write fails. These run the built CLI on the outputs users give it: a
// non-blocking pipe that fills up, a pipe closed early (`| head`), a terminal and /dev/null.
// Python (for a non-blocking pipe) and script(1) (for a terminal) skip with the reason when
// missing, and fail under CI=true (.ci/run installs python3; util-linux is in every Debian).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cli, sample, ROOT, AMD64_ENTRY } from './helpers.js';

const bin = join(ROOT, 'bin', 'vdso-layout.js');
const maps = sample(AMD64_ENTRY, 'maps-pid1.txt');
const ci = Boolean(process.env.CI);
const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const python = has('python3', ['-c', 'import fcntl']);
const script = has('script', ['-qec', 'true', '/dev/null']);
function needs(name: string, present: boolean): boolean {
  if (!present && ci) it(`${name} is installed`, () => expect(present, `${name} missing`).toBe(true));
  if (!present && !ci) console.log(`skipping ${name} checks: ${name} is not installed`);
  return present;
}
// Env without colour overrides: the CLI decides from the output alone.
const { NO_COLOR: _n, FORCE_COLOR: _f, ...plainEnv } = process.env;

describe('output to fds', () => {
  if (needs('python3', python)) {
    it('a non-blocking pipe that fills up gets every byte, in order (EAGAIN hands over to process.stdout)', () => {
      // The reader sets O_NONBLOCK on the pipe (as a Node process sharing it does) and reads
      // only after a pause, so the 270 KB of JSON overflow the 64 KiB pipe buffer.
      const reader = [
        'import fcntl, os, subprocess, sys, time',
        'r, w = os.pipe()',
        'fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)',
        'p = subprocess.Popen(sys.argv[1:], stdout=w)',
        'os.close(w); time.sleep(0.3)',
        'with os.fdopen(r, "rb") as f: sys.stdout.buffer.write(f.read())',
        'sys.exit(p.wait())',
      ].join('\n');
      const piped = spawnSync('python3', ['-c', reader, process.execPath, bin, 'profiles', '--json'], { encoding: 'latin1', maxBuffer: 64 << 20 });
      const direct = cli(['profiles', '--json']);
      expect(direct.stdout.length).toBeGreaterThan(4 * 65536);
      expect(piped.status).toBe(0);
      expect(piped.stdout).toBe(direct.stdout);
    });
  }

  it('a pipe closed early (`| head`) ends quietly with the exit code so far', () => {
    const r = spawnSync(process.execPath, ['-e', `
      const p = require('child_process').spawn(process.execPath, [${JSON.stringify(bin)}, 'profiles', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = ''; p.stderr.on('data', (d) => { err += d; });
      p.stdout.once('data', () => p.stdout.destroy());
      p.on('close', (code) => { console.log(JSON.stringify({ code, err })); });
    `], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toEqual({ code: 0, err: '' });
  });

  if (needs('script', script)) {
    it('--color auto colours a terminal and nothing else', () => {
      const args = ['check', maps, '--arch', 'x86_64', '--kernel', '6.18'];
      const tty = spawnSync('script', ['-qec', [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'], { encoding: 'latin1', env: plainEnv });
      expect(tty.stdout).toMatch(/\x1b\[31mFAIL\x1b\[39m/);
      const pipe = spawnSync(process.execPath, [bin, ...args], { encoding: 'latin1', env: plainEnv });
      expect(pipe.status).toBe(1);
      expect(pipe.stdout).toMatch(/^FAIL /);
      expect(pipe.stdout).not.toMatch(/\x1b\[/);
    });
  }

  it('/dev/null (a character device, as a terminal is) and a file: exit code kept, no colour', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vl-output-')), 'out.txt');
    const r = spawnSync('sh', ['-c', `"$0" "$1" check "$2" --arch x86_64 --kernel 6.18 >/dev/null; echo "rc=$?"; "$0" "$1" check "$2" --arch x86_64 --kernel 6.18 >"$3"`, process.execPath, bin, maps, file], { encoding: 'latin1', env: plainEnv });
    expect(r.stdout).toBe('rc=1\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(readFileSync(file, 'latin1')).toMatch(/^FAIL [^\x1b]*$/);
  });

  it('stdout on a full device (/dev/full, a disk that filled up): one line and exit 2, not a cut document and exit 0', () => {
    const cases: Array<[string[], number]> = [[['check', maps, '--format', 'junit'], 2], [['profiles', '--json'], 2], [['capture-script'], 2], [['check', maps], 2]];
    for (const [args, code] of cases) {
      const r = spawnSync('sh', ['-c', '"$@" > /dev/full', 'sh', process.execPath, bin, ...args], { encoding: 'utf8' });
      expect([args[0], r.status, r.stderr]).toEqual([args[0], code, 'vdso-layout: cannot write to stdout: no space left on the device\n']);
    }
    // A closed fd is the reader's choice, as a closed pipe is: quiet, the verdict's code.
    const closed = spawnSync('sh', ['-c', '"$@" >&-', 'sh', process.execPath, bin, 'check', maps], { encoding: 'utf8' });
    expect([closed.status, closed.stderr]).toEqual([0, '']);
  });
});
