// Every versioned JSON schema id in one place (README "JSON schemas"; schemas/*.json). An id
// changes only on purpose: readers rely on it, and fields are only ever added within one.
export const SCHEMA = {
  check: 'vdso-layout/check/1',
  diff: 'vdso-layout/diff/1',
  extract: 'vdso-layout/extract/1',
  inspect: 'vdso-layout/inspect/1',
  profiles: 'vdso-layout/profiles/1',
  synth: 'vdso-layout/synth/1',
  /** Input, not output: a user profile file (--profile FILE). */
  profile: 'vdso-layout/profile/1',
} as const;
