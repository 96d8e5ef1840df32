/**
 * The emulator speaks the real schema's language (reference 2): every document the monday emulator
 * tests send validates against the official SDL, and every field and argument of the emulator's
 * hand-written schema exists in the official one with the same type.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, isInputObjectType, isInterfaceType, isObjectType, parse, validate } from 'graphql';
import { schemaSdl } from '../../src/monday/graphql/schema-sdl';
import { DOCS } from './sandbox-monday-support';

/** monday's official SDL (API 2026-10), vendored with its licence (vendor/monday-api/README.md). */
const officialPath = path.join(__dirname, '../../../../vendor/monday-api/2026-10.graphql');

describe('monday emulator conformance with the official SDL (reference 2)', () => {
  let official: GraphQLSchema;
  beforeAll(() => {
    official = buildSchema(readFileSync(officialPath, 'utf8'));
  });

  it.each(Object.entries(DOCS))('the %s document validates against the official schema', (_name, document) => {
    expect(validate(official, parse(document)).map((e) => e.message)).toEqual([]);
  });

  it('every type, field and argument of the emulator schema exists in the official schema with the same type', () => {
    const ours = buildSchema(schemaSdl({ typedColumnSettings: true, isLeaf: true, bulkImport: true }));
    const mismatches: string[] = [];
    for (const type of Object.values(ours.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      const theirs = official.getType(type.name);
      if (!theirs) {
        mismatches.push(`type ${type.name} missing`);
        continue;
      }
      if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(theirs) || isInterfaceType(theirs))) {
        const theirFields = theirs.getFields();
        for (const field of Object.values(type.getFields())) {
          const match = theirFields[field.name];
          if (!match) mismatches.push(`${type.name}.${field.name} missing`);
          else if (String(match.type) !== String(field.type)) mismatches.push(`${type.name}.${field.name}: ${String(field.type)} vs ${String(match.type)}`);
          for (const arg of field.args) {
            const theirArg = match?.args.find((a) => a.name === arg.name);
            if (match && (!theirArg || String(theirArg.type) !== String(arg.type))) mismatches.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isInputObjectType(type) && isInputObjectType(theirs)) {
        const theirFields = theirs.getFields();
        for (const field of Object.values(type.getFields())) {
          if (String(theirFields[field.name]?.type) !== String(field.type)) mismatches.push(`input ${type.name}.${field.name}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
