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
  # shellcheck disable=SC2206 # the unquoted expansion is the point: it globs
  matches=( $c ) # an unmatched pattern stays as written (check reports it unreadable)
  expanded+=("${matches[@]}")
done
report=${INPUT_REPORT_DIR:-vdso-layout-report}
mkdir -p "$report"
if [ ${#expanded[@]} -eq 0 ]; then
  # No check runs (without captures it would check this runner), so the reports are written here,
  # in the shapes check gives a usage error.
  msg="the captures input is empty"
  echo "::error title=vdso-layout usage::$msg"
  printf 'KTAP version 1\n1..1\n# %s\nnot ok 1 vdso_layout (command line) # ERROR %s\n# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:0 error:1\n' "$msg" "$msg" > "$report/vdso-layout.ktap"
  printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
    '<testsuites name="vdso-layout" tests="1" failures="0" errors="1" time="0.000">' \
    '  <testsuite name="vdso-layout check" tests="1" failures="0" errors="1" skipped="0" time="0.000">' \
    '    <testcase classname="vdso-layout.check" name="(command line)" time="0.000">' \
    "      <error message=\"$msg\" type=\"usage\"/>" \
    '    </testcase>' '  </testsuite>' '</testsuites>' > "$report/vdso-layout.junit.xml"
  { echo "exit-code=2"; echo "verdict=error"; echo "ktap=$report/vdso-layout.ktap"; echo "junit=$report/vdso-layout.junit.xml"; } >> "${GITHUB_OUTPUT:-/dev/null}"
  exit 2
fi
args=(check "${expanded[@]}")
[ -z "${INPUT_VDSO:-}" ] || args+=(--vdso "$INPUT_VDSO")
args+=("${extra[@]}")
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
