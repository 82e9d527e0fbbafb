#!/usr/bin/env bash
# Gate a kernel patch series patch by patch, as `git rebase -x` would: after each patch, build the
# tree (scripts/build-kernel.sh, incremental after the first build), boot it under QEMU with
# scripts/qemu-check.sh and check the capture. One KTAP test per patch (and JSON), naming the first
# patch that breaks the layout. Exit: 0 every step passes, 1 a patch breaks the layout (or the vDSO
# clock), 2 a patch that does not apply, a failed build or boot (with the log tail and the patch).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/gate-series.sh --arch ARCH --source DIR|debian:linux-source-X.Y --series DIR|PATCH...
                              --out DIR [options] [-- CHECK-ARGS...]

  --arch, --source, --series, --config   as scripts/build-kernel.sh
  --out DIR          OUT/src, OUT/build (shared by every step: rebuilds are incremental),
                     OUT/step-N/ (build.env, build.log, the boot's console.log, check.json),
                     OUT/gate.ktap, OUT/gate.json
  --base             also build and boot the tree without the series (step 0), checked against
                     vdso-layout's own table (never --profile)
  --profile FILE     the layout the series intends (a user profile): the patch steps are checked
                     against it instead of the table
  --format ktap|json what stdout gets (default ktap); both files are written either way
  --keep DIR         copy what a reviewer needs into DIR (small files only): DIR/step-N/ with the
                     boot's console.log, the vDSO image(s) booted, the kernel .config and build.env
                     (provenance: source package and version, compiler, config, patches, times),
                     and DIR/gate.ktap, DIR/gate.json
  --timeout S        per boot (default 600)
  --jobs N           make -jN (default nproc)
  -- CHECK-ARGS...   passed to every `vdso-layout check` (e.g. --page-size 65536)

Exit: 0 all steps pass; 1 a step fails its check (or its vDSO clock); 2 a patch does not apply,
a build or a boot fails (the log tail and the patch are printed), or bad usage.
EOF
}

die() { echo "gate-series: $*" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

arch='' source='' out='' fragment='' base='' profile='' profile_arg='' keep='' format=ktap timeout_s=600 jobs=$(nproc)
series=() check_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --arch) arch=${2:?--arch needs a value}; shift 2 ;;
    --source) source=${2:?--source needs a value}; shift 2 ;;
    --series) shift; while [ $# -gt 0 ] && [[ $1 != --* ]]; do series+=("$1"); shift; done ;;
    --config) fragment=${2:?--config needs a file}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --base) base=1; shift ;;
    --profile) profile=${2:?--profile needs a file}; profile_arg=$2; shift 2 ;;
    --keep) keep=${2:?--keep needs a directory}; shift 2 ;;
    --format) format=${2:?--format needs ktap or json}; shift 2 ;;
    --timeout) timeout_s=${2:?--timeout needs seconds}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; check_args=("$@"); break ;;
    *) echo "gate-series: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$arch" ] && [ -n "$source" ] && [ -n "$out" ] || die "--arch, --source and --out are required (see --help)"
[ ${#series[@]} -gt 0 ] || die "--series is required (a directory of git format-patch files, or the files)"
case $format in ktap|json) ;; *) die "--format: ktap or json, not '$format'" ;; esac
[ -z "$profile" ] || [ -r "$profile" ] || die "$profile: no such file (--profile)"
[ -z "$profile" ] || profile=$(cd "$(dirname "$profile")" && pwd)/$(basename "$profile")
[ -z "$fragment" ] || fragment=$(cd "$(dirname "$fragment")" && pwd)/$(basename "$fragment")
[ -f "$here/dist/cli.js" ] || die "vdso-layout is not built: run 'npm ci' (or 'npm run build') in $here"

patches=()
for s in "${series[@]}"; do
  if [ -d "$s" ]; then while IFS= read -r p; do patches+=("$p"); done < <(find "$s" -maxdepth 1 -name '*.patch' | sort)
  elif [ -r "$s" ]; then patches+=("$s")
  else die "$s: no such patch or directory (--series)"; fi
done
[ ${#patches[@]} -gt 0 ] || die "--series ${series[*]}: no *.patch files"
for i in "${!patches[@]}"; do patches[i]=$(cd "$(dirname "${patches[i]}")" && pwd)/$(basename "${patches[i]}"); done
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd)

first=1; [ -n "$base" ] && first=0
results=$out/steps.tsv; : > "$results"
# One line per step: index, name, verdict (pass/fail/error), codes, build s, boot s, clock, detail.
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$results"; }

rc=0
for ((k = first; k <= ${#patches[@]}; k++)); do
  step=$out/step-$k; rm -rf "$step"; mkdir -p "$step"
  if [ "$k" -eq 0 ]; then name="base"; else name=$(basename "${patches[k - 1]}" .patch); fi
  echo "gate-series: step $k/${#patches[@]}: $name" >&2
  args=(--arch "$arch" --source "$source" --out "$out" --jobs "$jobs" --series "${patches[@]:0:k}")
  [ -z "$fragment" ] || args+=(--config "$fragment")
  # --series with no patch still means "the prepared tree in OUT/src", so step 0 shares the objects.
  b0=$SECONDS
  if ! bash "$here/scripts/build-kernel.sh" "${args[@]}" > "$step/build.out" 2> "$step/build.err"; then
    status=$(cat "$out/status" 2>/dev/null || echo "BUILD-FAILED")
    cp "$out/build.log" "$step/build.log" 2>/dev/null || true
    echo "gate-series: step $k ($name): $status" >&2; tail -n 30 "$step/build.err" >&2
    record "$k" "$name" error "" "$((SECONDS - b0))" "" "" "$status"; rc=2; break
  fi
  cp "$out/build.env" "$out/build.log" "$step/"
  # This step's images and config: the build directory is the next step's.
  # shellcheck source=/dev/null # build-kernel.sh writes it
  # arm64 before 6.12 names both images vdso.so.dbg (vdso/ and vdso32/): the compat one is kept as
  # vdso32.so.dbg, the name later kernels give it.
  ( . "$step/build.env"; mkdir -p "$step/images"; cp "$VDSO" "$step/images/"
    if [ -n "$COMPAT_VDSO" ]; then c=$(basename "$COMPAT_VDSO"); [ "$c" != "$(basename "$VDSO")" ] || c=vdso32.so.dbg; cp "$COMPAT_VDSO" "$step/images/$c"; fi
    cp "$out/build/.config" "$step/kernel.config" )
  build_s=$(awk -F= '$1 == "BUILD_SECONDS" { print $2 }' "$step/build.env")
  # shellcheck source=/dev/null
  . "$step/build.env"
  # One package cache for every step (each step's directory is new).
  qargs=(--arch "$arch" --kernel "$KERNEL" --vdso "$VDSO" --out "$step/boot" --timeout "$timeout_s" --cache "$out/qemu-cache")
  [ -z "$COMPAT_VDSO" ] && qargs+=(--no-compat) || qargs+=(--compat-vdso "$COMPAT_VDSO")
  [ -z "$PROGRAM" ] || qargs+=(--program "$PROGRAM")
  cargs=(--format json "${check_args[@]}")
  [ "$k" -gt 0 ] && [ -n "$profile" ] && cargs+=(--profile "$profile")
  t0=$SECONDS qrc=0
  bash "$here/scripts/qemu-check.sh" "${qargs[@]}" -- "${cargs[@]}" > "$step/check.json" 2> "$step/boot.err" || qrc=$?
  boot_s=$((SECONDS - t0))
  clock=absent
  if [ -f "$step/boot/console.log" ]; then
    tr -d '\r' < "$step/boot/console.log" | grep -a '^vdso-clock: ' > "$step/vdso-clock.txt" || true
    if grep -q '^vdso-clock: ok' "$step/vdso-clock.txt"; then clock=ok
    elif [ -s "$step/vdso-clock.txt" ] || grep -aq 'vdso-layout-qemu: program' "$step/boot/console.log"; then clock=fail; fi
  fi
  # Boot failed, check could not judge the capture (the gate goes on), or the verdict and its codes.
  IFS=$'\x1f' read -r verdict codes detail next < <(node "$here/scripts/gate-step.mjs" "$step" "$qrc")
  if [ "$verdict" = error ]; then
    echo "gate-series: step $k ($name): $detail; last lines:" >&2; tail -n 30 "$step/boot.err" >&2
    record "$k" "$name" error "" "$build_s" "$boot_s" "$clock" "$detail"; rc=2
    if [ "$next" = go ]; then continue; else break; fi
  fi
  [ "$clock" != fail ] || verdict=fail
  record "$k" "$name" "$verdict" "$codes" "$build_s" "$boot_s" "$clock" "$detail"
  [ "$verdict" = pass ] || [ "$rc" -ne 0 ] || rc=1
done

# Reports from the recorded steps (a step that never ran is reported as skipped).
node - "$results" "$out" "$arch" "$source" "$first" "${#patches[@]}" "$rc" "${profile_arg:-}" "${patches[@]}" <<'NODE'
const fs = require('fs');
const [results, out, arch, source, first, count, rc, profile, ...patches] = process.argv.slice(2);
const rows = fs.readFileSync(results, 'utf8').split('\n').filter(Boolean).map((l) => {
  const [index, name, verdict, codes, build, boot, clock, detail] = l.split('\t');
  return { index: Number(index), name, verdict, codes: codes ? codes.split(',') : [],
    buildSeconds: build === '' ? null : Number(build), bootSeconds: boot === '' ? null : Number(boot),
    vdsoClock: clock || null, detail };
});
const steps = [];
for (let k = Number(first); k <= Number(count); k++) {
  const r = rows.find((x) => x.index === k);
  const name = k === 0 ? 'base' : patches[k - 1].split('/').pop().replace(/\.patch$/, '');
  steps.push(r ?? { index: k, name, verdict: 'skipped', codes: [], buildSeconds: null, bootSeconds: null, vdsoClock: null, detail: 'not run: an earlier step failed to build or boot' });
}
const firstBreaking = steps.find((s) => s.index > 0 && s.verdict !== 'pass' && s.verdict !== 'skipped');
const json = { schema: 'vdso-layout/gate/1', arch, source, profile: profile || null, exitCode: Number(rc),
  firstBreaking: firstBreaking ? firstBreaking.name : null, steps };
fs.writeFileSync(`${out}/gate.json`, JSON.stringify(json, null, 2) + '\n');
const k = ['KTAP version 1', `# vdso-layout gate: ${arch}, ${source}, ${count} patch(es)${profile ? `, patches checked against ${profile.split('/').pop()}` : ''}`, `1..${steps.length}`];
steps.forEach((s, i) => {
  const ok = s.verdict === 'pass' ? 'ok' : 'not ok';
  const dir = s.verdict === 'skipped' ? ' # SKIP not run: an earlier step failed to build or boot' : '';
  k.push(`${s.verdict === 'skipped' ? 'ok' : ok} ${i + 1} ${s.index === 0 ? 'base' : `${s.index} ${s.name}`}${dir}`);
  if (s.verdict !== 'skipped') {
    k.push(`# verdict ${s.verdict}${s.codes.length ? `; codes ${s.codes.join(',')}` : ''}; vdso clock ${s.vdsoClock ?? 'n/a'}; ${s.detail}`);
    k.push(`# build ${s.buildSeconds ?? '?'}s, boot ${s.bootSeconds ?? '?'}s`);
  }
});
k.push(firstBreaking ? `# first patch that breaks: ${firstBreaking.name}` : '# no patch breaks the layout');
fs.writeFileSync(`${out}/gate.ktap`, k.join('\n') + '\n');
NODE
if [ -n "$keep" ]; then
  mkdir -p "$keep" || die "cannot create $keep"
  for ((k = first; k <= ${#patches[@]}; k++)); do
    step=$out/step-$k; [ -f "$step/build.env" ] || continue
    rm -rf "$keep/step-$k"; mkdir -p "$keep/step-$k"
    cp "$step"/images/* "$step/kernel.config" "$keep/step-$k/"
    # build.env without this machine's paths.
    sed -E "s#$out/build/##g; s#$out/##g" "$step/build.env" > "$keep/step-$k/build.env"
    [ -f "$step/boot/console.log" ] && cp "$step/boot/console.log" "$keep/step-$k/"
  done
  cp "$out/gate.ktap" "$out/gate.json" "$keep/"
fi
if [ "$format" = json ]; then cat "$out/gate.json"; else cat "$out/gate.ktap"; fi
exit "$rc"
