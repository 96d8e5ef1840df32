import { closedToOthers, EmbeddedDatabaseAccessError } from '../../src/database/root-access-check';

describe('closedToOthers (embedded Postgres run as root)', () => {
  const modes: Record<string, number> = { '/': 0o755, '/tmp': 0o1777, '/tmp/ci-abc': 0o700, '/tmp/ci-abc/repo': 0o755, '/tmp/ci-abc/repo/.crm-sync': 0o755 };
  const modeOf = (dir: string) => modes[dir] ?? 0o755;

  it('names the first directory above the path that others may not enter', () => {
    expect(closedToOthers('/tmp/ci-abc/repo/.crm-sync', modeOf)).toBe('/tmp/ci-abc');
  });

  it('is null when every directory up to / may be entered', () => {
    expect(closedToOthers('/tmp/open/repo', modeOf)).toBeNull();
  });

  it('the error names the directory and the ways out', () => {
    const error = new EmbeddedDatabaseAccessError('/tmp/ci-abc');
    expect(error.code).toBe('EMBEDDED_POSTGRES_CANNOT_ENTER');
    expect(error.message).toMatch(/cannot enter \/tmp\/ci-abc/);
    expect(error.message).toMatch(/DATABASE_URL/);
  });
});
