import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { BULK_IMPORT_DOCUMENTS } from '../../src/monday/documents';

/** The bulk-import documents the client sends validate against the vendored 2026-10 SDL. */
describe('bulk import documents against monday’s 2026-10 SDL', () => {
  const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../vendor/monday-api/2026-10.graphql'), 'utf8'));
  it.each(Object.entries(BULK_IMPORT_DOCUMENTS))('%s', (_name, document) => {
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });
});
