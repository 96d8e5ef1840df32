import { MondayApiError } from '../errors';

/**
 * Release schedule from reference 1.4: [name, RC from, Current from, Maintenance from, Deprecated from].
 * 2026-10 became current on 26 Oct 2026, not 1 Oct as scheduled (addendum 2.1).
 */
const SCHEDULE: Array<[string, string, string, string, string | null]> = [
  ['2024-10', '2024-07-01', '2024-10-01', '2025-01-15', '2026-02-15'],
  ['2025-01', '2024-10-01', '2025-01-15', '2025-04-01', '2026-02-15'],
  ['2025-04', '2025-01-15', '2025-04-01', '2025-07-01', null],
  ['2025-07', '2025-04-01', '2025-07-01', '2025-10-01', null],
  ['2025-10', '2025-07-01', '2025-10-01', '2026-01-15', null],
  ['2026-01', '2025-10-01', '2026-01-15', '2026-04-01', null],
  ['2026-04', '2026-01-15', '2026-04-01', '2026-07-01', null],
  ['2026-07', '2026-04-01', '2026-07-01', '2026-10-26', null],
  ['2026-10', '2026-07-01', '2026-10-26', '2027-01-15', null],
  ['2027-01', '2026-10-26', '2027-01-15', '2027-04-01', null],
];

export type VersionKind = 'release_candidate' | 'current' | 'maintenance' | 'deprecated' | 'old__maintenance' | 'dev';

const at = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** true when `version` has the behaviour introduced in `since` ('dev' has everything). */
export function versionAtLeast(version: string, since: string): boolean {
  return version === 'dev' || version >= since;
}

export function versionKind(version: string, now: number): VersionKind {
  if (version === 'dev') return 'dev';
  const row = SCHEDULE.find((r) => r[0] === version);
  if (!row) return 'old__maintenance';
  const [, rc, current, maintenance, deprecated] = row;
  if (deprecated && now >= at(deprecated)) return 'deprecated';
  if (now >= at(maintenance)) {
    const next = SCHEDULE[SCHEDULE.indexOf(row) + 1];
    return next && now >= at(next[3]) ? 'old__maintenance' : 'maintenance';
  }
  if (now >= at(current)) return 'current';
  return now >= at(rc) ? 'release_candidate' : 'old__maintenance';
}

export function currentVersion(now: number): string {
  let current = SCHEDULE[0][0];
  for (const [name, , currentFrom] of SCHEDULE) if (now >= at(currentFrom)) current = name;
  return current;
}

/** Versions a `versions` query lists: everything released and not deprecated at `now`. */
export function listedVersions(now: number): Array<{ value: string; kind: VersionKind }> {
  return SCHEDULE.filter(([, rc, , , deprecated]) => now >= at(rc) && !(deprecated && now >= at(deprecated))).map(([value]) => ({
    value,
    kind: versionKind(value, now),
  }));
}

/**
 * Which version serves a request (reference 1.4): no header => Current; well-formed but unknown => Current;
 * deprecated 2024-10/2025-01 => 2025-04; malformed => InvalidVersionException. With `serveDeprecated`
 * the asked version is served as is (to exercise the legacy error format of 6.2a).
 */
export function resolveApiVersion(header: string | undefined, now: number, serveDeprecated: boolean): string {
  if (header === undefined || header.trim() === '') return currentVersion(now);
  const asked = header.trim();
  if (asked === 'dev') return 'dev';
  if (!/^\d{4}-\d{2}$/.test(asked)) {
    throw new MondayApiError('InvalidVersionException', `Invalid API version: ${asked}. The version must be in the format YYYY-MM`, {
      version: asked,
    });
  }
  if (serveDeprecated && asked <= '2025-01') return asked;
  const row = SCHEDULE.find((r) => r[0] === asked);
  if (!row || now < at(row[1])) return currentVersion(now);
  if (row[4] && now >= at(row[4])) return '2025-04';
  return asked;
}
