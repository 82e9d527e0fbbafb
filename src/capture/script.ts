// The capture bundle: what a CI target without Node prints so `check` has maps, auxv and the
// vDSO bytes of one process (the shell itself), so AT_SYSINFO_EHDR and the addresses agree.
// Its format is defined in bundle-format.ts.
import { BUNDLE_BEGIN, BUNDLE_END, BUNDLE_VERSION, HEADER, SECTION } from './bundle-format.js';

/**
 * POSIX sh for busybox ash, dash and bash; needs only cat, od and dd (uname and getconf when
 * present). Markers start their own lines so they survive a serial console (CRLF, a prompt
 * before the output, kernel messages in between).
 */
export const CAPTURE_SCRIPT = `#!/bin/sh
# vdso-layout capture bundle v${BUNDLE_VERSION}: this shell's own /proc/PID/maps, auxv and [vdso]
# bytes (one process, so AT_SYSINFO_EHDR and the addresses agree). Needs cat, od, dd.
# Reading /proc/PID/mem needs root (or ptrace rights); without it the bundle says so.
# Usage on the target:  sh vdso-capture.sh      then: npx vdso-layout check console.log
p=$$
echo
echo "${BUNDLE_BEGIN}"
echo "${HEADER.unameR}: $(uname -r 2>/dev/null)"
echo "${HEADER.unameM}: $(uname -m 2>/dev/null)"
echo "${HEADER.pageSize}: $(getconf PAGESIZE 2>/dev/null || getconf PAGE_SIZE 2>/dev/null)"
echo "${HEADER.pid}: $p"
echo "${SECTION.maps}"
cat /proc/$p/maps
echo "${SECTION.auxv}"
od -A x -t x1 -v /proc/$p/auxv
vdso=
# No \`while read\` here: busybox 1.38's ash waits in \`read\` with ppoll(), which a 32-bit task gets
# as the 32-bit-time syscall, missing (ENOSYS) on a 64-bit kernel without
# CONFIG_COMPAT_32BIT_TIME: its \`read\` fails at once. So split cat's output into lines, then
# fields (no pathname expansion: [vdso] is a pattern).
set -f
IFS='
'
# shellcheck disable=SC2013 # lines on purpose, split by the IFS above
for line in $(cat /proc/$p/maps); do
  IFS=' '
  # shellcheck disable=SC2086 # the fields of one maps line
  set -- $line
  if [ $# -eq 6 ] && [ "$6" = "[vdso]" ]; then vdso=$1; fi
done
unset IFS
set +f
if [ -z "$vdso" ]; then
  echo "${SECTION.vdsoNone} no [vdso] mapping in /proc/$p/maps"
else
  start=\${vdso%-*}
  end=\${vdso#*-}
  bs=4096
  echo "${SECTION.vdso} $start-$end"
  dd if=/proc/$p/mem bs=$bs skip=$(( 0x$start / bs )) count=$(( (0x$end - 0x$start) / bs )) 2>/dev/null | od -A x -t x1 -v
fi
echo "${BUNDLE_END}"
`;

const hexLine = (off: number, bytes: Uint8Array) => `${off.toString(16).padStart(6, '0')} ${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')}`;

/** `od -A x -t x1 -v` of some bytes. */
function odBytes(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let o = 0; o < bytes.length; o += 16) out.push(hexLine(o, bytes.subarray(o, o + 16)));
  out.push(bytes.length.toString(16).padStart(6, '0'));
  return out.join('\n') + '\n';
}

export interface BundleParts { unameR: string; unameM: string; pageSize?: number; pid: number; maps: string; auxv: Uint8Array; vdso?: { start: bigint; end: bigint; bytes?: Uint8Array; error?: string } }

/** The same bundle, written by Node (vdso-layout capture). */
export function formatBundle(b: BundleParts): string {
  const out = ['', BUNDLE_BEGIN, `${HEADER.unameR}: ${b.unameR}`, `${HEADER.unameM}: ${b.unameM}`, `${HEADER.pageSize}: ${b.pageSize ?? ''}`, `${HEADER.pid}: ${b.pid}`, SECTION.maps, b.maps.replace(/\n$/, ''), SECTION.auxv, odBytes(b.auxv).replace(/\n$/, '')];
  if (!b.vdso) out.push(`${SECTION.vdsoNone} no [vdso] mapping`);
  else {
    out.push(`${SECTION.vdso} ${b.vdso.start.toString(16)}-${b.vdso.end.toString(16)}`);
    if (b.vdso.bytes) out.push(odBytes(b.vdso.bytes).replace(/\n$/, ''));
    else out.push(`${SECTION.vdsoUnreadable} ${b.vdso.error ?? ''}`);
  }
  out.push(BUNDLE_END);
  return out.join('\n') + '\n';
}
