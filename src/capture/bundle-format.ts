// The capture bundle's format, defined once: the writers (script.ts: the POSIX sh script a target
// runs, and formatBundle for `vdso-layout capture`) and the reader (bundle.ts) use these names.
// A change a reader of the previous version would misread takes a new BUNDLE_VERSION.
//
//   @@@VDSO-LAYOUT-BUNDLE <version> BEGIN
//   uname-r: <release>        uname-m: <machine>       pagesize: <bytes>       pid: <pid>
//   kernel-max: <NR_CPUS - 1> (sysfs; optional: a reader that does not know it skips the line)
//   @@@MAPS                   then /proc/PID/maps
//   @@@AUXV                   then `od -A x -t x1 -v` of /proc/PID/auxv
//   @@@VDSO <start>-<end>     then od of the [vdso] bytes, or @@@VDSO-NONE / @@@VDSO-UNREADABLE <why>
//   @@@VDSO-LAYOUT-BUNDLE <version> END

/** The version this tool writes and the only one it reads. */
export const BUNDLE_VERSION = 1;

const MARK = '@@@VDSO-LAYOUT-BUNDLE';
export const BUNDLE_BEGIN = `${MARK} ${BUNDLE_VERSION} BEGIN`;
export const BUNDLE_END = `${MARK} ${BUNDLE_VERSION} END`;
export const SECTION = { maps: '@@@MAPS', auxv: '@@@AUXV', vdso: '@@@VDSO', vdsoNone: '@@@VDSO-NONE', vdsoUnreadable: '@@@VDSO-UNREADABLE' } as const;
export const HEADER = { unameR: 'uname-r', unameM: 'uname-m', pageSize: 'pagesize', pid: 'pid', kernelMax: 'kernel-max' } as const;

/** Any version's BEGIN line (the version is checked, not assumed). */
export const BEGIN_LINE = new RegExp(`^${MARK} (\\d+) BEGIN$`);
export const END_LINE = new RegExp(`^${MARK} \\d+ END$`);
export const VDSO_LINE = new RegExp(`^${SECTION.vdso} ([0-9a-f]+)-([0-9a-f]+)$`);
export const VDSO_MISSING_LINE = new RegExp(`^(?:${SECTION.vdsoNone}|${SECTION.vdsoUnreadable}) ?(.*)$`);
export const HEADER_LINE = {
  unameR: new RegExp(`^${HEADER.unameR}: ?(.*)$`),
  unameM: new RegExp(`^${HEADER.unameM}: ?(.*)$`),
  pageSize: new RegExp(`^${HEADER.pageSize}: ?(\\d*)$`),
  pid: new RegExp(`^${HEADER.pid}: ?(\\d+)$`),
  kernelMax: new RegExp(`^${HEADER.kernelMax}: ?(\\d*)$`),
} as const;
/** One line of `od -A x -t x1 -v`: an offset, then up to 16 bytes. */
export const OD_BYTES_LINE = /^[0-9a-f]{6,8}((?: [0-9a-f]{2}){0,16})$/;
