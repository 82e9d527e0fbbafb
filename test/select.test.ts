import { describe, expect, it } from 'vitest';
import type { ProfileRow } from '../src/layout/profile-types.js';
import { selectFor, selectRow } from '../src/layout/select.js';
import { PROFILES } from '../src/layout/profiles/index.js';
import { parseRelease } from '../src/layout/version.js';

// A table shaped like the real ones (taken from the x86 rows) with a stable backport and a
// vendor row added, so the selection rules are exercised whatever the shipped table holds.
const base = PROFILES.x86.filter((r) => !r.vendor);
const era = (i: number, extra: Partial<ProfileRow>): ProfileRow => ({ ...base[i % base.length], ...extra });
const TABLE: ProfileRow[] = [
  era(0, { id: 'old', since: '3.0', until: '5.12' }),
  era(1, { id: 'new', since: '5.12', until: '9.0', backports: ['5.11.7'] }),
  era(3, { id: 'later', since: '9.0', until: undefined, backports: ['5.11.30'] }),
  era(2, { id: 'vendor-el9', since: '5.14', until: '5.15', vendor: { name: 'RHEL 9', release: '\\.el9' } }),
];

describe('release strings', () => {
  it('distribution ABI names do not carry the stable sublevel; upstream and Android ones do', () => {
    expect(parseRelease('6.1.0-56-amd64')).toEqual({ version: [6, 1, 0], sublevelKnown: false });
    expect(parseRelease('5.15.0-91-generic')).toEqual({ version: [5, 15, 0], sublevelKnown: false });
    expect(parseRelease('4.18.0-553.el8_10.x86_64')).toEqual({ version: [4, 18, 0], sublevelKnown: false });
    expect(parseRelease('5.10.198-android13-4-00050-g12f3388846c3')).toEqual({ version: [5, 10, 198], sublevelKnown: true });
    expect(parseRelease('7.2.13+deb14-amd64')).toEqual({ version: [7, 2, 13], sublevelKnown: true });
    expect(parseRelease('6.1')).toEqual({ version: [6, 1, 0], sublevelKnown: false });
    expect(parseRelease('6.1.0')).toEqual({ version: [6, 1, 0], sublevelKnown: true });
    expect(parseRelease('6.13.0-rc1')).toEqual({ version: [6, 13, 0], sublevelKnown: true });
    expect(parseRelease('linux')).toBeUndefined();
  });
});

describe('row selection: vendor pattern, then stable backport, then mainline era', () => {
  it('a vendor release string picks the vendor row; the same version without the tag picks mainline', () => {
    expect(selectFor('x86', '5.14.0-427.el9.x86_64', TABLE).row.id).toBe('vendor-el9');
    expect(selectFor('x86', '5.14.0-427.el9.x86_64', TABLE).why).toMatch(/RHEL 9 kernel/);
    expect(selectFor('x86', '5.14.21', TABLE).row.id).toBe('new');
    // A vendor pattern outside the vendor row's version range does not apply.
    expect(selectFor('x86', '4.18.0-553.el9', TABLE).row.id).toBe('old');
  });
  it('a stable backport moves the rest of its series to the new row, to the sublevel', () => {
    expect(selectFor('x86', '5.11.6', TABLE).row.id).toBe('old');
    expect(selectFor('x86', '5.11.7', TABLE).row.id).toBe('new');
    expect(selectFor('x86', '5.11.7', TABLE).why).toMatch(/stable backport: new from 5.11.7/);
    expect(selectFor('x86', '5.11.29', TABLE).row.id).toBe('new');
    // A later backport into the same series takes over from its sublevel on.
    expect(selectFor('x86', '5.11.30', TABLE).row.id).toBe('later');
  });
  it('when the sublevel is unknown, the backported row is named as the alternative', () => {
    const s = selectFor('x86', '5.11.0-3-amd64', TABLE);
    expect(s.row.id).toBe('old');
    expect(s.alternatives.map((r) => r.id)).toEqual(['new', 'later']);
    expect(s.why).toMatch(/sublevel unknown/);
  });
  it('a row that starts at a sublevel of the series (powerpc-5.12.3-stable) is an alternative too', () => {
    const hidden = selectFor('powerpc', '5.12.0-1-powerpc64le');
    expect(hidden.row.id).toBe('powerpc-5.11');
    expect(hidden.alternatives.map((r) => r.id)).toEqual(['powerpc-5.12.3-stable']);
    expect(selectFor('powerpc', '5.12.5').alternatives).toEqual([]);
    expect(selectFor('powerpc', '5.12.5').row.id).toBe('powerpc-5.12.3-stable');
  });
  it('older than the table: the oldest row, said', () => {
    const w: string[] = [];
    expect(selectRow('x86', '2.4.37', w).id).toBe(PROFILES.x86[0].id);
    expect(w.join()).toMatch(/older than every x86 profile/);
  });
  it('an unreadable version is a usage error naming what is expected', () => {
    expect(() => selectFor('x86', 'banana', TABLE)).toThrow(/cannot read kernel version 'banana'/);
  });
  it('no version: the newest mainline row, never a vendor row', () => {
    for (const [family, rows] of Object.entries(PROFILES)) {
      const main = rows.filter((r) => !r.vendor);
      expect(selectRow(family as keyof typeof PROFILES, undefined, []).id).toBe(main[main.length - 1].id);
    }
  });
});

describe('release string and image note together', () => {
  it('the note supplies the sublevel a distribution ABI name lacks; a different series is ignored', () => {
    expect(selectFor('x86', '5.11.0-3-amd64', TABLE, '5.11.9').row.id).toBe('new');
    expect(selectFor('x86', '5.11.0-3-amd64', TABLE, '5.11.2').row.id).toBe('old');
    expect(selectFor('x86', '5.11.0-3-amd64', TABLE, '6.1.4').alternatives.map((r) => r.id)).toEqual(['new', 'later']);
  });
});
