// A bug (an error that is not one of ours) in every format: met on one capture, it is that
// capture's error result and the others are still judged; met before any capture (main()'s
// catch), troubleDocument gives the same documents. Run in-process: a bug is injected by
// replacing checkCapture for one file name.
import { describe, expect, it, vi } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sample, AMD64_ENTRY } from './helpers.js';
import { parseGithub, parseJunit, parseKtap, strictSchema } from './formats.js';

const BUGGY = 'buggy-capture.txt';
vi.mock('../src/check/inputs.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/check/inputs.js')>();
  return {
    ...real,
    checkCapture: (cap: { file: string }, flags: Parameters<typeof real.checkCapture>[1]) => {
      if (cap.file.endsWith(BUGGY)) throw new TypeError("Cannot read properties of undefined (reading 'start')");
      return real.checkCapture(cap as Parameters<typeof real.checkCapture>[0], flags);
    },
  };
});
const { runCheck, troubleDocument } = await import('../src/commands/check.js');
const { checkFormatIn, checkOutputsIn } = await import('../src/cli/check-outputs.js');
const { makeChalk } = await import('../src/report/color.js');

const good = sample(AMD64_ENTRY, 'maps-pid1.txt');
const buggy = join(mkdtempSync(join(tmpdir(), 'vl-internal-')), BUGGY);
copyFileSync(good, buggy);
const FORMATS = ['text', 'json', 'ktap', 'junit', 'github'] as const;

async function run(format: (typeof FORMATS)[number]) {
  let out = ''; let err = '';
  const code = await runCheck([good, buggy], { format }, { out: (s) => { out += s; }, err: (s) => { err += s; }, chalk: await makeChalk(0) });
  return { code, out, err };
}

describe('a bug met on one capture: that capture is an internal error, the other is judged; exit 2', () => {
  for (const f of FORMATS) {
    it(f, async () => {
      const r = await run(f);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`vdso-layout: ${buggy}: internal error: Cannot read properties of undefined (reading 'start')\n`);
      if (f === 'json') {
        const j = JSON.parse(r.out);
        expect(strictSchema('check-1')(j)).toBe(true);
        expect(j.results.map((x: { verdict: string }) => x.verdict)).toEqual(['pass', 'error']);
      }
      if (f === 'ktap') expect(parseKtap(r.out).filter((t) => t.depth === 0).map((t) => [t.ok, t.directive])).toEqual([[true, undefined], [false, 'ERROR']]);
      if (f === 'junit') expect(parseJunit(r.out).map((c) => Boolean(c.error))).toEqual([false, true]);
      if (f === 'github') expect(parseGithub(r.out).some((c) => c.props.title?.startsWith('vdso-layout '))).toBe(true);
    });
  }
});

describe('a bug before any capture (main): the document each format promises, the error inside', () => {
  it('checkFormatIn reads --format F and --format=F of a check command line, stops at --', () => {
    expect(checkFormatIn(['check', 'a', '--format', 'junit'])).toBe('junit');
    expect(checkFormatIn(['check', '--format=ktap', 'a'])).toBe('ktap');
    expect(checkFormatIn(['check', '--', '--format', 'json'])).toBeUndefined();
    expect(checkFormatIn(['synth', '--format', 'json'])).toBeUndefined();
    expect(checkFormatIn(['check', '--format', 'xml'])).toBeUndefined();
  });
  it('checkOutputsIn reads each --report FORMAT=FILE too, leaves out a malformed one, stops at --', () => {
    expect(checkOutputsIn(['check', 'a', '--report', 'junit=j.xml', '--report=ktap=k', '--report', 'xml=x', '--report', 'json=', '--', '--report', 'json=c', '-'])).toEqual({
      format: undefined, reports: [{ format: 'junit', file: 'j.xml' }, { format: 'ktap', file: 'k' }],
      // Every other word may name an input (after --, all of them; stdin as /dev/stdin): no report goes over one.
      maybeInputs: ['a', '--report', 'json=c', '/dev/stdin'],
    });
    expect(checkOutputsIn(['check', '--vdso=img.so', '-', '--bogus'])).toMatchObject({ maybeInputs: ['img.so', '/dev/stdin', '--bogus'] });
    expect(checkOutputsIn(['synth', '--report', 'json=c'])).toEqual({ reports: [], maybeInputs: [] });
  });
  const message = 'internal error: Maximum call stack size exceeded';
  it('json', () => {
    const j = JSON.parse(troubleDocument('json', 'internal', message));
    expect(strictSchema('check-1')(j)).toBe(true);
    expect(j.results).toEqual([expect.objectContaining({ input: '(internal error)', verdict: 'error', errorKind: 'internal', message })]);
  });
  it('ktap', () => expect(parseKtap(troubleDocument('ktap', 'internal', message))).toEqual([expect.objectContaining({ ok: false, directive: 'ERROR' })]));
  it('junit', () => expect(parseJunit(troubleDocument('junit', 'internal', message))[0].error![0]).toMatchObject({ type: 'internal', message }));
  it('github', () => expect(parseGithub(troubleDocument('github', 'internal', message))).toEqual([{ level: 'error', props: { title: 'vdso-layout internal-error' }, data: message }]));
  it('text: nothing (the line is on stderr)', () => expect(troubleDocument('text', 'internal', message)).toBe(''));
});
