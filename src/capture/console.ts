// What a serial console, a terminal, syslog or a paste adds around and into the lines of a
// capture, and how it is taken out: CRs, ANSI escapes, printk stamps and level prefixes, kernel
// messages printed into the middle of a line. Also the context lines a console log brings with
// its processes (uname -a, the kernel banner, @@@BEGIN labels, a shell prompt). Pure functions.
import { Buffer } from 'node:buffer';

// ESC [ … final, plus two-char ESC sequences (charset selection, keypad modes).
const ANSI_RE = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78c]/g;
const KERNEL_LOG_PREFIX = /^\s*(?:<\d+>)?\[\s*\d+\.\d+\]\s?$/;
const KERNEL_LOG_LINE = /^\s*(?:<\d+>)?\[\s*\d+\.\d+\]/;
const SYSLOG_PREFIX = /^\s*<\d+>\s?$/;
// printk's "[%5lu.%06lu] " stamp (anywhere, and at a '['), and the start of a maps line (where
// a message can cut in); with CONFIG_PRINTK_CALLER the caller follows it ("[    T1]"), with
// console_msg_format=syslog the level precedes it ("<6>"), and an empty message leaves the stamp
// at the line's end.
const PRINTK = '(?:<\\d{1,3}>)?\\[ *\\d+\\.\\d{6}\\](?:\\[ *[TC]\\d+\\])?(?: |$)';
const PRINTK_STAMP = new RegExp(PRINTK);
const PRINTK_STAMP_HERE = new RegExp(`^${PRINTK}`);
const LINUX_BANNER = /Linux version (\S+) /;
const UNAME_A = /^Linux \S+ (\d+\.\d+\S*) #.* (\S+) GNU\/Linux$/;
const BEGIN_MARK = /^@@@BEGIN (\S+)/;

/** A line that starts with a printk stamp (a kernel message on the console). */
export const isKernelLogLine = (text: string): boolean => KERNEL_LOG_LINE.test(text);

/** Where a printk stamp starts in the line (-1: none). */
export function printkStampAt(text: string): number {
  const m = PRINTK_STAMP.exec(text);
  return m ? m.index : -1;
}

/** Whether a printk stamp starts at `text`'s first character. */
export const printkStampHere = (text: string): boolean => PRINTK_STAMP_HERE.test(text);

/** The line without trailing CRs, and what a terminal's CR overwrote. `crlf`: there were trailing CRs. */
export function stripCarriageReturns(text: string): { text: string; crlf: boolean } {
  let t = text;
  const crlf = t.endsWith('\r');
  if (crlf) t = t.replace(/\r+$/, '');
  if (t.includes('\r')) t = t.slice(t.lastIndexOf('\r') + 1); // a terminal overwrote the start
  return { text: t, crlf };
}

/** The line without ANSI escape sequences. */
export const stripAnsi = (text: string): string => text.replace(ANSI_RE, '');

/** What kind of prefix a console put before a line's content. */
export function prefixKind(prefix: string): 'kernel-log-prefix' | 'syslog-prefix' | 'line-prefix' {
  if (KERNEL_LOG_PREFIX.test(prefix)) return 'kernel-log-prefix';
  if (SYSLOG_PREFIX.test(prefix)) return 'syslog-prefix';
  return 'line-prefix';
}

/**
 * uname -a (release and machine) or the kernel banner (release) in a trimmed line, and the upstream
 * version a Debian kernel's build string names where its release hides the sublevel: the banner
 * and uname -v of 6.1.0-27-loong64 say "Debian 6.1.115-1" (the source package's version, which is
 * the stable release it packages).
 */
export function unameOf(t: string): { release: string; machine?: string; upstream?: string } | undefined {
  let m = UNAME_A.exec(t);
  const found = m ? { release: m[1], machine: m[2] } : (m = LINUX_BANNER.exec(t)) ? { release: m[1] } : undefined;
  if (!found) return undefined;
  const abi = ABI_RELEASE.exec(found.release);
  const deb = abi ? DEBIAN_UPSTREAM.exec(t) : null;
  return deb && deb[1] === abi![1] ? { ...found, upstream: `${deb[1]}.${deb[2]}` } : found;
}
/** x.y.0-N: Debian's (and Ubuntu's) ABI names, which hide the sublevel. */
const ABI_RELEASE = /^(\d+\.\d+)\.0-\d+/;
// After the build number (#1 SMP ... Debian 6.1.115-1): the compiler's "(Debian 12.2.0-14)" comes before it.
const DEBIAN_UPSTREAM = / #\d+ [^#]*?\bDebian (\d+\.\d+)\.(\d+)-\S+/;

// kernel/rcu/tree_plugin.h rcu_bootup_announce_oddness(), when nr_cpu_ids != NR_CPUS (read in 4.12, 6.1.0, 7.1.3).
const RCU_NR_CPUS = /RCU restricting CPUs from NR_CPUS=(\d{1,5}) to nr_cpu_ids=\d+/;

/** NR_CPUS from Tree RCU's boot line, if this is it (the only message that prints it on every arch). */
export function nrCpusOf(t: string): number | undefined {
  if (!t.includes('NR_CPUS=')) return undefined;
  const m = RCU_NR_CPUS.exec(t);
  const n = m ? Number(m[1]) : 0;
  return n >= 1 ? n : undefined;
}

/** A line naming the process whose lines follow: `@@@BEGIN maps-pid1`, a command or a prompt. */
export function labelOf(t: string): string | undefined {
  const mark = BEGIN_MARK.exec(t);
  if (mark) return asText(mark[1]);
  if (/\/proc\/\S+\/maps/.test(t) || /^[$#] /.test(t)) return [...asText(t)].slice(0, 100).join('');
  return undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/**
 * A line read as bytes-as-chars (latin1), as a person wrote it: UTF-8 when its bytes are valid
 * UTF-8 (prose around a paste usually is), else the bytes as Latin-1. For labels, not for parsing.
 */
function asText(latin1: string): string {
  if (!/[\x80-\xff]/.test(latin1)) return latin1;
  try { return UTF8.decode(Buffer.from(latin1, 'latin1')); } catch { return latin1; }
}
