#!/usr/bin/env node
// Run docs/examples/kernel-vdso.yml's job on this machine, as a GitHub runner would run it for one
// matrix entry, as far as a machine without containers allows:
//   - the workspace is a fresh checkout of the kernel tree (--tree, a git repository: the series is
//     its commits), .vdso-layout a checkout of this repository's HEAD (commit first), and the
//     action (`uses: YOUR-ORG/vdso-layout@v1`) another one, run as action.yml's composite steps;
//   - actions/checkout: a `git clone` when git is in the container at that point (an earlier step
//     installed it), else the files alone (checkout downloads the REST API tarball: no .git);
//   - each `run:` script runs with `bash -e` (the default shell) in the workspace, `${{ }}`
//     expressions substituted as GitHub does (matrix, steps.*.outputs from each step's
//     GITHUB_OUTPUT file, inputs, format(), &&, ||, ==, !=, always()/success()/failure());
//   - not run: the container itself (the job runs here, not in debian:trixie), `apt-get` (a stand-in
//     on PATH checks that every package it is asked for exists in trixie for amd64, through the
//     private apt state of scripts/lib/apt.sh, and installs nothing: the tools are this machine's),
//     actions/setup-node (this machine's node is used and its version said), upload-artifact
//     (the paths it would upload are listed, with the ones that do not exist).
// Each step's time and exit code go to OUT/steps.json and a table on stderr.
//
//   node scripts/workflow-local.mjs --arch ARCH --tree DIR --out DIR [--workflow FILE]
//        [--apt-state DIR] [--runner-uid N] [--keep-workspace] [--dry-run]
// --dry-run prints each step as it would run (expressions substituted; step outputs that only a
// run would give are empty, as GitHub renders a missing output) and runs nothing.
// Exit: the job's result: 0 every step succeeded, 1 a step failed, 2 bad usage or an unsupported
// workflow construct.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ---- expressions: the subset of GitHub's expression language the workflow and action.yml use ----

/** Tokens of one expression (the text between `${{` and `}}`). */
function tokenize(src) {
  const out = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated string in \${{ ${src} }}`);
        if (src[i] === "'") { if (src[i + 1] === "'") { s += "'"; i += 2; continue; } i++; break; }
        s += src[i++];
      }
      out.push({ t: 'str', v: s });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['&&', '||', '==', '!='].includes(two)) { out.push({ t: 'op', v: two }); i += 2; continue; }
    if ('()!,'.includes(c)) { out.push({ t: 'op', v: c }); i++; continue; }
    const m = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(src.slice(i));
    if (m) { out.push({ t: 'id', v: m[0] }); i += m[0].length; continue; }
    const n = /^\d+/.exec(src.slice(i));
    if (n) { out.push({ t: 'num', v: Number(n[0]) }); i += n[0].length; continue; }
    throw new Error(`unsupported character '${c}' in \${{ ${src} }}`);
  }
  return out;
}

const truthy = (v) => !(v === '' || v === null || v === undefined || v === false || v === 0);
const str = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Evaluates one expression in ctx: { matrix, steps, inputs, status: 'success'|'failure' }. */
export function evaluate(src, ctx) {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const eat = (v) => { if (peek()?.v !== v) throw new Error(`expected '${v}' in \${{ ${src} }}`); p++; };
  const lookup = (path) => {
    let v = ctx;
    for (const k of path.split('.')) v = v === null || v === undefined ? undefined : v[k];
    return v ?? '';
  };
  const call = (name, args) => {
    switch (name) {
      case 'always': return true;
      case 'success': return ctx.status === 'success';
      case 'failure': return ctx.status === 'failure';
      case 'cancelled': return false;
      case 'format': return str(args[0]).replace(/\{(\d+)\}/g, (_, k) => str(args[Number(k) + 1]));
      default: throw new Error(`unsupported function ${name}() in \${{ ${src} }}`);
    }
  };
  const primary = () => {
    const t = peek();
    if (!t) throw new Error(`incomplete expression \${{ ${src} }}`);
    p++;
    if (t.t === 'str' || t.t === 'num') return t.v;
    if (t.v === '(') { const v = or(); eat(')'); return v; }
    if (t.v === '!') return !truthy(primary());
    if (t.t === 'id') {
      if (peek()?.v === '(') {
        p++;
        const args = [];
        while (peek()?.v !== ')') { args.push(or()); if (peek()?.v === ',') p++; }
        eat(')');
        return call(t.v, args);
      }
      if (t.v === 'true') return true;
      if (t.v === 'false') return false;
      if (t.v === 'null') return null;
      if (!/^(matrix|steps|inputs|env|github|runner)\b/.test(t.v)) throw new Error(`unsupported context '${t.v.split('.')[0]}' in \${{ ${src} }}`);
      return lookup(t.v);
    }
    throw new Error(`unexpected '${t.v}' in \${{ ${src} }}`);
  };
  const cmp = () => {
    let v = primary();
    while (peek()?.v === '==' || peek()?.v === '!=') {
      const op = toks[p++].v;
      const r = primary();
      // GitHub compares strings case-insensitively, after coercing null to ''.
      const eq = str(v).toLowerCase() === str(r).toLowerCase();
      v = op === '==' ? eq : !eq;
    }
    return v;
  };
  const and = () => { let v = cmp(); while (peek()?.v === '&&') { p++; const r = cmp(); v = truthy(v) ? r : v; } return v; };
  const or = () => { let v = and(); while (peek()?.v === '||') { p++; const r = and(); v = truthy(v) ? v : r; } return v; };
  const v = or();
  if (p !== toks.length) throw new Error(`unexpected '${toks[p].v}' in \${{ ${src} }}`);
  return v;
}

/** Every `${{ … }}` in text replaced by its value as a string. */
export function substitute(text, ctx) {
  return String(text).replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e) => str(evaluate(e, ctx)));
}

/** A step's `if:` (with or without `${{ }}`); a step without one runs on success() only. */
export function shouldRun(step, ctx) {
  if (step.if === undefined) return ctx.status === 'success';
  const cond = String(step.if).trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  return truthy(evaluate(cond, ctx));
}

/** key=value and key<<DELIM … DELIM lines of a GITHUB_OUTPUT file. */
export function parseOutputs(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const h = /^([^=<]+)<<(.+)$/.exec(l);
    if (h) {
      const body = [];
      for (i++; i < lines.length && lines[i] !== h[2]; i++) body.push(lines[i]);
      out[h[1]] = body.join('\n');
    } else if (l.includes('=')) out[l.slice(0, l.indexOf('='))] = l.slice(l.indexOf('=') + 1);
  }
  return out;
}

/** What a step is: a checkout of the kernel tree or of vdso-layout, this repository's action, another action, or a script. */
export function stepKind(step) {
  if (step.run !== undefined) return 'run';
  const uses = String(step.uses ?? '');
  if (/^actions\/checkout@/.test(uses)) return step.with?.repository ? 'checkout-tool' : 'checkout-tree';
  if (/\/vdso-layout@/.test(uses)) return 'vdso-layout-action';
  if (/^actions\/setup-node@/.test(uses)) return 'setup-node';
  if (/^actions\/upload-artifact@/.test(uses)) return 'upload-artifact';
  return 'unsupported';
}

// ---- the runner ----

function usage(msg) {
  if (msg) process.stderr.write(`workflow-local: ${msg}\n`);
  process.stderr.write('Usage: node scripts/workflow-local.mjs --arch ARCH --tree DIR --out DIR [--workflow FILE] [--job ID] [--apt-state DIR] [--runner-uid N] [--keep-workspace] [--dry-run]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { workflow: join(ROOT, 'docs', 'examples', 'kernel-vdso.yml'), dry: false, runnerUid: null, job: null,
    aptState: join(process.env.HOME ?? '/root', '.cache', 'vdso-layout', 'sources', 'apt-trixie-amd64') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { const v = argv[++i]; if (v === undefined || v === '') usage(`${a} needs a value`); return v; };
    switch (a) {
      case '--arch': o.arch = val(); break;
      case '--tree': o.tree = resolve(val()); break;
      case '--out': o.out = resolve(val()); break;
      case '--workflow': o.workflow = resolve(val()); break;
      case '--job': o.job = val(); break;
      case '--apt-state': o.aptState = resolve(val()); break;
      case '--runner-uid': o.runnerUid = val(); if (!/^\d+$/.test(o.runnerUid)) usage('--runner-uid: a number'); break;
      case '--dry-run': o.dry = true; break;
      case '--keep-workspace': o.keep = true; break;
      case '-h': case '--help': usage();
      default: usage(`unknown argument '${a}'`);
    }
  }
  if (!o.arch || !o.tree || !o.out) usage('--arch, --tree and --out are required');
  return o;
}

const sh = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', ...opts });
const git = (cwd, ...a) => {
  const r = sh('git', ['-c', 'safe.directory=*', ...a], { cwd });
  if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
};

/** actions/checkout: a clone when git is there, else the files of HEAD alone (the REST API tarball). */
function checkout(repo, dest, withGit) {
  rmSync(dest, { recursive: true, force: true });
  if (withGit) {
    const r = sh('git', ['-c', 'safe.directory=*', 'clone', '-q', repo, dest]);
    if (r.status !== 0) throw new Error(`git clone ${repo}: ${r.stderr.trim()}`);
  } else {
    mkdirSync(dest, { recursive: true });
    const r = spawnSync('bash', ['-c', 'git -c safe.directory="*" -C "$1" archive --format=tar HEAD | tar -x -C "$2"', 'checkout', repo, dest], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git archive ${repo}: ${r.stderr.trim()}`);
  }
}

// The apt-get stand-in: checks the packages of `apt-get install` against trixie (amd64, the runner's
// architecture), records them, installs nothing.
const APT_SHIM = `#!/usr/bin/env bash
set -u
log=\${VL_WF_APT_LOG:?}
# apt-get on a private state (scripts/lib/apt.sh: the boot script fetching busybox and kernels) is
# the real one, as in the container; only the system's own apt is stood in for.
for a in "$@"; do case $a in Dir::Etc::SourceList=*) exec "\${VL_WF_REAL_APT_GET:?}" "$@" ;; esac; done
case \${1:-} in
  update) echo "apt-get update: not run (the container's apt; package names are checked against trixie at install)" >&2; exit 0 ;;
  install) shift ;;
  *) echo "apt-get \${1:-}: not simulated" >&2; exit 100 ;;
esac
pkgs=(); for a in "$@"; do case $a in -*) ;; *) pkgs+=("$a") ;; esac; done
. "\${VL_WF_ROOT:?}/scripts/lib/apt.sh"
apt_private_init "\${VL_WF_APT_STATE:?}" trixie "amd64 all" >/dev/null || exit 100
if ! [ -n "$(ls "\${VL_WF_APT_STATE}/lists" 2>/dev/null | grep _Packages)" ]; then apt_private_update >/dev/null 2>&1 || apt_private_update >/dev/null 2>&1 || true; fi
missing=0
for p in "\${pkgs[@]}"; do
  v=$(apt_version "$p:amd64"); [ -n "$v" ] || v=$(apt_version "$p:all")
  if [ -n "$v" ]; then echo "$p $v" >> "$log"; echo "apt-get install: $p $v (trixie; not installed here)" >&2
  else echo "E: Unable to locate package $p (not in trixie for amd64)" >&2; echo "$p MISSING" >> "$log"; missing=1; fi
done
[ $missing -eq 0 ] || exit 100
`;

function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(join(o.tree, '.git'))) usage(`${o.tree}: not a git repository (the workflow's repository: a kernel tree with the series as commits)`);
  const wf = parse(readFileSync(o.workflow, 'utf8'));
  const jobId = o.job ?? Object.keys(wf.jobs)[0];
  const job = wf.jobs[jobId];
  if (!job) usage(`no job '${jobId}' in ${o.workflow}`);
  const matrix = (job.strategy?.matrix?.include ?? []).find((m) => m.arch === o.arch);
  if (!matrix) usage(`no matrix entry with arch ${o.arch} in ${o.workflow}`);
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));

  const ws = join(o.out, 'workspace');
  const shim = join(o.out, 'shim');
  const actionPath = join(o.out, '_actions', 'vdso-layout');
  mkdirSync(o.out, { recursive: true });
  mkdirSync(shim, { recursive: true });
  writeFileSync(join(shim, 'apt-get'), APT_SHIM);
  chmodSync(join(shim, 'apt-get'), 0o755);
  const aptLog = join(o.out, 'apt-packages.txt');
  writeFileSync(aptLog, '');
  // --keep-workspace: a rerun on the workspace a previous run left (its build objects too, so the
  // build step is incremental); the checkout steps are then not run.
  const reuse = Boolean(o.keep) && existsSync(join(ws, '.vdso-layout'));
  if (!o.dry && !reuse) { rmSync(ws, { recursive: true, force: true }); mkdirSync(ws, { recursive: true }); }

  const realAptGet = sh('bash', ['-c', 'command -v apt-get']).stdout.trim() || 'apt-get';
  const ctx = { matrix, steps: {}, inputs: {}, status: 'success' };
  const rows = [];
  const log = (s) => process.stderr.write(`${s}\n`);
  const baseEnv = { ...process.env, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: ws, RUNNER_OS: 'Linux', RUNNER_TEMP: join(o.out, 'tmp') };
  mkdirSync(baseEnv.RUNNER_TEMP, { recursive: true });
  const gitInstalled = () => readFileSync(aptLog, 'utf8').split('\n').some((l) => l.startsWith('git ') && !l.endsWith('MISSING'));

  /** One script with a shell, in cwd; returns { code, outputs }. */
  const runScript = (label, script, shell, env, cwd) => {
    const f = join(baseEnv.RUNNER_TEMP, `${label.replace(/[^A-Za-z0-9]+/g, '-')}.sh`);
    const outFile = join(baseEnv.RUNNER_TEMP, `${label.replace(/[^A-Za-z0-9]+/g, '-')}.output`);
    writeFileSync(f, script);
    writeFileSync(outFile, '');
    if (o.dry) { log(`  $ ${shell.join(' ')} <<'SCRIPT'\n${script.replace(/^/gm, '    ').trimEnd()}\n  SCRIPT`); return { code: 0, outputs: {} }; }
    const r = spawnSync(shell[0], [...shell.slice(1), f], { cwd, stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...baseEnv, ...env, GITHUB_OUTPUT: outFile, PATH: `${shim}:${process.env.PATH}`, VL_WF_APT_LOG: aptLog, VL_WF_ROOT: ROOT, VL_WF_APT_STATE: o.aptState, VL_WF_REAL_APT_GET: realAptGet } });
    return { code: r.status ?? 1, outputs: parseOutputs(readFileSync(outFile, 'utf8')) };
  };

  const runAction = (step) => {
    // Inputs: the step's `with`, evaluated in the workflow, over action.yml's defaults.
    const inputs = {};
    for (const [k, d] of Object.entries(action.inputs ?? {})) inputs[k] = d.default ?? '';
    for (const [k, v] of Object.entries(step.with ?? {})) inputs[k] = substitute(v, ctx);
    const actx = { matrix, steps: {}, inputs, status: 'success' };
    let code = 0;
    for (const [i, s] of action.runs.steps.entries()) {
      if (!shouldRun(s, actx)) continue;
      const label = `${step.id ?? 'action'}-${s.id ?? i}`;
      const k = stepKind(s);
      if (k === 'setup-node') {
        const want = substitute(s.with?.['node-version'] ?? '', actx);
        log(`  action step: actions/setup-node (node-version ${want}): not run; this machine's node ${sh('node', ['--version']).stdout.trim()} is used`);
        continue;
      }
      if (k !== 'run') throw new Error(`action.yml step ${i}: unsupported (${s.uses})`);
      const env = Object.fromEntries(Object.entries(s.env ?? {}).map(([ek, ev]) => [ek, substitute(ev, actx)]));
      const shell = s.shell === 'bash' ? ['bash', '--noprofile', '--norc', '-eo', 'pipefail'] : ['sh', '-e'];
      log(`  action step: ${s.name ?? s.id ?? i}`);
      const r = runScript(label, substitute(s.run, actx), shell, { ...env, GITHUB_ACTION_PATH: actionPath }, ws);
      if (s.id) actx.steps[s.id] = { outputs: r.outputs, outcome: r.code === 0 ? 'success' : 'failure' };
      if (r.code !== 0) { code = r.code; actx.status = 'failure'; }
    }
    const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([k, d]) => [k, substitute(d.value ?? '', actx)]));
    return { code, outputs };
  };

  for (const [i, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? `step ${i + 1}`;
    const kind = stepKind(step);
    if (!shouldRun(step, ctx)) { log(`-- skipped: ${name}`); rows.push({ step: i + 1, name, kind, result: 'skipped', seconds: 0 }); continue; }
    log(`-- ${name} (${kind})`);
    const t0 = Date.now();
    let r = { code: 0, outputs: {} };
    let note = '';
    try {
      switch (kind) {
        case 'checkout-tree':
        case 'checkout-tool': {
          const withGit = gitInstalled();
          const dest = kind === 'checkout-tree' ? ws : join(ws, substitute(step.with?.path ?? '', ctx));
          note = `${withGit ? 'git clone' : 'files only (no git in the container yet: the REST API tarball)'} of ${kind === 'checkout-tree' ? o.tree : ROOT} HEAD`;
          if (reuse) note = `not run (--keep-workspace: ${ws} as a previous run left it)`;
          else if (!o.dry) {
            if (kind === 'checkout-tree') {
              checkout(o.tree, join(o.out, 'workspace.new'), withGit);
              rmSync(ws, { recursive: true, force: true });
              sh('mv', [join(o.out, 'workspace.new'), ws]);
            } else checkout(ROOT, dest, withGit);
            // The runner's user owns the workspace directory (made on the host); the container's root runs
            // the steps and owns what they write.
            if (o.runnerUid !== null && kind === 'checkout-tree') sh('chown', [`${o.runnerUid}:${o.runnerUid}`, dest]);
          }
          break;
        }
        case 'run':
          r = runScript(`step-${i + 1}`, substitute(step.run, ctx), ['bash', '-e'], Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(v, ctx)])), ws);
          break;
        case 'vdso-layout-action':
          if (!o.dry) { checkout(ROOT, actionPath, false); }
          r = runAction(step);
          break;
        case 'upload-artifact': {
          const paths = substitute(step.with?.path ?? '', ctx).split('\n').map((x) => x.trim()).filter(Boolean);
          const absent = paths.filter((x) => !existsSync(resolve(ws, x)));
          note = `not uploaded; paths: ${paths.join(' ')}${absent.length ? `; absent: ${absent.join(' ')}` : ''}`;
          if (!o.dry && absent.length) note += ' (upload-artifact warns, the step still succeeds)';
          break;
        }
        default:
          throw new Error(`step ${i + 1} (${step.uses}): no local stand-in`);
      }
    } catch (e) {
      log(`workflow-local: ${e.message}`);
      process.exitCode = 2;
      r = { code: 2, outputs: {} };
    }
    const seconds = Math.round((Date.now() - t0) / 100) / 10;
    if (step.id) ctx.steps[step.id] = { outputs: r.outputs, outcome: r.code === 0 ? 'success' : 'failure' };
    if (r.code !== 0) ctx.status = 'failure';
    rows.push({ step: i + 1, name, kind, result: r.code === 0 ? 'success' : `failure (exit ${r.code})`, seconds, ...(note ? { note } : {}), ...(Object.keys(r.outputs).length ? { outputs: r.outputs } : {}) });
    if (note) log(`   ${note}`);
  }

  const result = { workflow: o.workflow, job: jobId, matrix, dryRun: o.dry, status: ctx.status, node: sh('node', ['--version']).stdout.trim(),
    aptPackages: readFileSync(aptLog, 'utf8').trim().split('\n').filter(Boolean), steps: rows };
  writeFileSync(join(o.out, 'steps.json'), JSON.stringify(result, null, 2) + '\n');
  log(`\njob ${jobId} (${Object.entries(matrix).map(([k, v]) => `${k}: ${v}`).join(', ')}): ${ctx.status}`);
  for (const row of rows) log(`  ${String(row.step).padStart(2)} ${row.result.padEnd(18)} ${String(row.seconds).padStart(7)}s  ${row.name}`);
  if (process.exitCode !== 2) process.exitCode = ctx.status === 'success' ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
