#!/usr/bin/env bash
# The check step of action.yml. Inputs come as INPUT_CAPTURES, INPUT_VDSO, INPUT_FORMAT, INPUT_ARGS,
# INPUT_REPORT_DIR; outputs (exit-code, verdict, ktap, junit) go to $GITHUB_OUTPUT.
# Runs `check` with --format github (annotations; its exit code is the step's), then writes the
# KTAP and JUnit reports, then prints the report in INPUT_FORMAT unless that is github.
set -uo pipefail
bin=${GITHUB_ACTION_PATH:?}/bin/vdso-layout.js
# Word-split and glob-expand the lists, as a shell would (paths with spaces need a glob).
read -r -d '' -a captures < <(printf '%s\0' "${INPUT_CAPTURES:-}" | tr '\n' ' ') || true
read -r -d '' -a extra < <(printf '%s\0' "${INPUT_ARGS:-}" | tr '\n' ' ') || true
expanded=()
for c in "${captures[@]}"; do
  matches=( $c ) # glob expansion; an unmatched pattern stays as written (check reports it unreadable)
  expanded+=("${matches[@]}")
done
if [ ${#expanded[@]} -eq 0 ]; then
  echo "::error title=vdso-layout::the captures input is empty"
  { echo "exit-code=2"; echo "verdict=error"; } >> "${GITHUB_OUTPUT:-/dev/null}"
  exit 2
fi
args=(check "${expanded[@]}")
[ -z "${INPUT_VDSO:-}" ] || args+=(--vdso "$INPUT_VDSO")
args+=("${extra[@]}")
report=${INPUT_REPORT_DIR:-vdso-layout-report}
mkdir -p "$report"
exec 3>&2 # the command lines go to the log even when a report's own stderr is dropped
run() { echo "+ vdso-layout $*" >&3; node "$bin" "$@"; }

rc=0
run "${args[@]}" --format github || rc=$?
run "${args[@]}" --format ktap > "$report/vdso-layout.ktap" 2>/dev/null || true
run "${args[@]}" --format junit > "$report/vdso-layout.junit.xml" 2>/dev/null || true
format=${INPUT_FORMAT:-text}
[ "$format" = github ] || run "${args[@]}" --format "$format" || true
case $rc in 0) verdict=pass ;; 1) verdict=fail ;; *) verdict=error ;; esac
{
  echo "exit-code=$rc"
  echo "verdict=$verdict"
  echo "ktap=$report/vdso-layout.ktap"
  echo "junit=$report/vdso-layout.junit.xml"
} >> "${GITHUB_OUTPUT:-/dev/null}"
exit "$rc"
