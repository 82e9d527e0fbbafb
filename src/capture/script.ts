// The capture bundle: what a CI target without Node prints so `check` has maps, auxv and the
// vDSO bytes of one process (the shell itself), so AT_SYSINFO_EHDR and the addresses agree.
// Its format is defined in bundle-format.ts.
import { BUNDLE_BEGIN, BUNDLE_END, HEADER, SECTION } from './bundle-format.js';
import { CAPTURE_SCRIPT_TEXT } from './capture-script-text.js';

/**
 * `vdso-layout capture-script`: lava/vdso-capture.sh, the script's one home (shellcheck checks it,
 * LAVA devices run it), built in by scripts/capture-script.mjs. POSIX sh for busybox ash, dash and
 * bash; needs only cat, od and dd (uname and getconf when present). Markers start their own lines
 * so they survive a serial console (CRLF, a prompt before the output, kernel messages in between).
 */
export const CAPTURE_SCRIPT = CAPTURE_SCRIPT_TEXT;

const hexLine = (off: number, bytes: Uint8Array) => `${off.toString(16).padStart(6, '0')} ${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')}`;

/** `od -A x -t x1 -v` of some bytes. */
function odBytes(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let o = 0; o < bytes.length; o += 16) out.push(hexLine(o, bytes.subarray(o, o + 16)));
  out.push(bytes.length.toString(16).padStart(6, '0'));
  return out.join('\n') + '\n';
}

export interface BundleParts { unameR: string; unameM: string; pageSize?: number; pid: number; kernelMax?: number; maps: string; auxv: Uint8Array; vdso?: { start: bigint; end: bigint; bytes?: Uint8Array; error?: string } }

/** The same bundle, written by Node (vdso-layout capture). */
export function formatBundle(b: BundleParts): string {
  const out = ['', BUNDLE_BEGIN, `${HEADER.unameR}: ${b.unameR}`, `${HEADER.unameM}: ${b.unameM}`, `${HEADER.pageSize}: ${b.pageSize ?? ''}`, `${HEADER.pid}: ${b.pid}`, `${HEADER.kernelMax}: ${b.kernelMax ?? ''}`, SECTION.maps, b.maps.replace(/\n$/, ''), SECTION.auxv, odBytes(b.auxv).replace(/\n$/, '')];
  if (!b.vdso) out.push(`${SECTION.vdsoNone} no [vdso] mapping`);
  else {
    out.push(`${SECTION.vdso} ${b.vdso.start.toString(16)}-${b.vdso.end.toString(16)}`);
    if (b.vdso.bytes) out.push(odBytes(b.vdso.bytes).replace(/\n$/, ''));
    else out.push(`${SECTION.vdsoUnreadable} ${b.vdso.error ?? ''}`);
  }
  out.push(BUNDLE_END);
  return out.join('\n') + '\n';
}
