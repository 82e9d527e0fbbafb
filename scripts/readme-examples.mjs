// README's examples are runs of the tool: every fenced block that starts with `$ npx vdso-layout`
// holds commands (`$ ` lines, `\` continuing them) each followed by what it prints (stdout and
// stderr, as a terminal shows them; `$ echo $?` prints the exit code of the command before).
//   node scripts/readme-examples.mjs          checks README against the tool (exit 1 if stale)
//   node scripts/readme-examples.mjs --write  rewrites every output from the tool (npm run readme)
// test/readme.test.ts runs the same examples through the same functions.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'vdso-layout.js');

/**
 * The examples of a README text: for each block, its commands with the README's output and the
 * line range (0-based, end exclusive) that output occupies, so that it can be rewritten.
 */
export function findExamples(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('```') || !lines[i + 1]?.startsWith('$ npx vdso-layout ')) continue;
    const block = { line: i + 1, commands: [] };
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith('```')) {
      if (!lines[j].startsWith('$ ')) throw new Error(`README.md:${j + 1}: expected a "$ " command line in the example block`);
      let command = lines[j].slice(2);
      while (command.endsWith('\\')) command = `${command.slice(0, -1).trimEnd()} ${lines[++j].trim()}`;
      const from = ++j;
      while (j < lines.length && !lines[j].startsWith('$ ') && !lines[j].startsWith('```')) j++;
      block.commands.push({ command, from, to: j, output: lines.slice(from, j).map((l) => `${l}\n`).join('') });
    }
    blocks.push(block);
    i = j;
  }
  return blocks;
}

/**
 * What varies between runs and machines, and nothing else: the temporary directory an example
 * runs in. (No example shows timings or this machine's own addresses.)
 */
export const normalise = (s, cwd) => s.split(cwd).join('.');

/**
 * Runs one block's commands in order in a fresh directory where `samples` is the repository's,
 * with `npx vdso-layout` the built CLI of this checkout. Returns each command's output.
 */
export function runBlock(block, node = process.execPath) {
  const cwd = mkdtempSync(join(tmpdir(), 'vl-readme-'));
  symlinkSync(join(ROOT, 'samples'), join(cwd, 'samples'));
  const prelude = `npx() { if [ "$1" = vdso-layout ]; then shift; "$VL_NODE" "$VL_BIN" "$@"; else command npx "$@"; fi; }\n`;
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? cwd, LANG: 'C.UTF-8', NO_COLOR: '1', VL_NODE: node, VL_BIN: BIN };
  let status = 0;
  try {
    return block.commands.map(({ command }) => {
      if (command === 'echo $?') return `${status}\n`;
      const r = spawnSync('bash', ['--noprofile', '--norc', '-c', `${prelude}{ ${command}\n} 2>&1`], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
      status = r.status ?? 128;
      return normalise(r.stdout, cwd);
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** README with every example's output replaced by what the tool prints now. */
export function regenerate(text) {
  const lines = text.split('\n');
  const edits = [];
  for (const block of findExamples(text)) {
    const outputs = runBlock(block);
    block.commands.forEach((c, k) => edits.push({ from: c.from, to: c.to, lines: outputs[k].replace(/\n$/, '').split('\n').filter((_, n, a) => !(a.length === 1 && a[0] === '')) }));
  }
  for (const e of edits.sort((a, b) => b.from - a.from)) lines.splice(e.from, e.to - e.from, ...e.lines);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = join(ROOT, 'README.md');
  const text = readFileSync(file, 'utf8');
  const next = regenerate(text);
  const n = findExamples(text).reduce((k, b) => k + b.commands.length, 0);
  if (next === text) console.log(`README.md: ${n} example commands, all current`);
  else if (process.argv.includes('--write')) { writeFileSync(file, next); console.log(`README.md: ${n} example commands, outputs rewritten from the tool`); }
  else { console.error('README.md: examples differ from the tool; run `npm run readme`'); process.exit(1); }
}
