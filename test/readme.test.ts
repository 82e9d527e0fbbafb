// Every example README shows (a fenced block starting with `$ npx vdso-layout`) is run here and its
// output compared with README's, byte for byte after normalising only what varies (the temporary
// directory an example runs in). A stale README fails: `npm run readme` rewrites the outputs from
// the tool (scripts/readme-examples.mjs, the same functions as here).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: plain ES module shared with `npm run readme` (no types)
import { findExamples, runBlock } from '../scripts/readme-examples.mjs';
import { sample, ROOT, AMD64_ENTRY } from './helpers.js';
import { runCli } from './run-in-process.js';

interface Command { command: string; from: number; output: string }
interface Block { line: number; commands: Command[] }
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = findExamples(README) as Block[];

describe('README examples are the tool\'s own output (npm run readme regenerates them)', () => {
  it('README has examples of every command a user starts with', async () => {
    const commands = blocks.flatMap((b) => b.commands.map((c) => c.command));
    for (const sub of ['check', 'synth', 'profiles', 'diff', 'extract']) expect(commands.some((c) => c.startsWith(`npx vdso-layout ${sub} `)), sub).toBe(true);
    expect(commands).toContain('npx vdso-layout synth --vdso samples/corpus/ppc64el-6.1.0-50-powerpc64le/vdso64.so --base 0x7fffad960000 --diagram');
    expect(commands).toContain('npx vdso-layout extract samples/kernels/vmlinuz-6.1.0-50-686-pae -o out');
  });
  for (const block of blocks) {
    it(`README.md:${block.line}: ${block.commands[0].command}`, async () => {
      const outputs = runBlock(block) as string[];
      block.commands.forEach((c, k) => {
        expect(outputs[k], `README.md:${c.from}: the output of \`${c.command}\` differs from the tool's; run \`npm run readme\``).toBe(c.output);
      });
    });
  }
});

describe('README prose that quotes the tool', () => {
  it('8,000 duplicate [vdso] lines: 8 duplicate findings and a note counting the 7993 not kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-readme-dup-'));
    const file = join(dir, 'dup.txt');
    const line = (i: number) => `${(0x7ffd00000000 + i * 8192).toString(16)}-${(0x7ffd00000000 + i * 8192 + 8192).toString(16)} r-xp 00000000 00:00 0                          [vdso]\n`;
    writeFileSync(file, readFileSync(sample(AMD64_ENTRY, 'maps-pid1.txt'), 'utf8') + Array.from({ length: 8000 }, (_, i) => line(i)).join(''));
    const r = await runCli(['check', file, '--format', 'json']);
    const [res] = JSON.parse(r.stdout).results;
    expect(res.findings.filter((f: { code: string }) => f.code === 'duplicate').length).toBe(8);
    const quoted = 'more than 8 lines of one name (or 256 names): the rest were not kept, e.g. [vdso] (7993 lines)';
    expect(res.notes.some((n: string) => n.endsWith(quoted))).toBe(true);
    expect(README).toContain(`(\`${quoted}\`;`);
  });
});

describe('profiles fits a terminal', () => {
  it('text is wrapped to 80 columns when stdout is not a terminal; --json keeps every field whole', async () => {
    const r = await runCli(['profiles']);
    expect(r.code).toBe(0);
    const long = r.stdout.split('\n').filter((l) => [...l].length > 80);
    expect(long, long.slice(0, 3).join('\n')).toEqual([]);
    const rows = JSON.parse((await runCli(['profiles', '--json'])).stdout).profiles as Array<{ id: string; source: string }>;
    // Every row is there, and its source is whole in JSON (words of it in the text, rewrapped).
    for (const row of rows) {
      expect(r.stdout).toMatch(new RegExp(`^${row.id} `, 'm'));
      expect(r.stdout.replace(/\s+/g, ' ')).toContain(row.source.split(' ').slice(0, 4).join(' '));
    }
  });
});

describe('README "How it works" names files that exist', () => {
  it('every path it gives (src/..., schemas/) is in the tree, so a newcomer is not sent to a moved file', () => {
    const section = README.slice(README.indexOf('\n## How it works'), README.indexOf('\n## Commands'));
    const paths = [...section.matchAll(/`((?:src|schemas)\/[^`<>]*)`/g)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });
});
