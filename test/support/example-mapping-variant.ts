import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectEventually } from './eventually';
import { EXAMPLE_MAPPING } from './sandbox-schemas';
import { startSyncEnvironment, type SyncEnvironment } from './sync-environment';

/** In the block of one mapped object (`account`, `contact`, ...): replace these exact lines. */
export interface ObjectBlockEdit {
  object: string;
  from: string;
  to: string;
}

export interface MappingVariant {
  path: string;
  remove(): void;
}

/**
 * The example mapping with some lines of some object blocks changed, written to a temporary file.
 * An edit whose lines are not in its block throws: the example changed and the test would silently
 * test the example instead.
 */
export function exampleMappingVariant(edits: readonly ObjectBlockEdit[]): MappingVariant {
  let yaml = readFileSync(EXAMPLE_MAPPING, 'utf8');
  for (const edit of edits) {
    const start = yaml.indexOf(`\n  ${edit.object}:\n`);
    if (start < 0) throw new Error(`example mapping changed: no ${edit.object} block`);
    const next = yaml.slice(start + 1).search(/\n {2}[a-z_]+:\n/);
    const end = next < 0 ? yaml.length : start + 1 + next;
    const block = yaml.slice(start, end);
    const changed = block.replace(edit.from, edit.to);
    if (changed === block) throw new Error(`example mapping changed: ${edit.object} has no ${JSON.stringify(edit.from)}`);
    yaml = yaml.slice(0, start) + changed + yaml.slice(end);
  }
  const dir = mkdtempSync(join(tmpdir(), 'crm-sync-mapping-'));
  const path = join(dir, 'mapping.yaml');
  writeFileSync(path, yaml);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The whole service against both emulators on the example mapping with `edits`, healthy before the
 * first test; stopped and its mapping file removed after the describe. Read it inside tests and hooks.
 */
export function useSyncEnvironmentWith(edits: readonly ObjectBlockEdit[]): () => SyncEnvironment {
  let env: SyncEnvironment | undefined;
  let mapping: MappingVariant | undefined;
  beforeAll(async () => {
    mapping = exampleMappingVariant(edits);
    env = await startSyncEnvironment({ mappingPath: mapping.path });
    const url = env.url;
    await expectEventually(async () => expect((await fetch(`${url}/health`)).status).toBe(200), { timeoutMs: 20_000 });
  });
  afterAll(async () => {
    await env?.stop();
    mapping?.remove();
  });
  return () => {
    if (!env) throw new Error('useSyncEnvironmentWith: read it inside a test or hook');
    return env;
  };
}
