import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadMapping } from './load-mapping';
import type { Mapping } from './mapping.types';

/** Injection token of the loaded mapping (a Mapping). */
export const SYNC_MAPPING = Symbol('SYNC_MAPPING');

/** Injection token of the mapping resolved against the live schemas (a ResolvedMapping), in the running sync. */
export const RESOLVED_MAPPING = Symbol('RESOLVED_MAPPING');

/** The mapping of the sync: its public surface is the loaded, validated Mapping under SYNC_MAPPING. */
@Module({})
export class MappingModule {
  /** Loads and validates the mapping file (MappingError naming every problem when it is invalid). */
  static forFile(path: string): DynamicModule {
    return MappingModule.with({ provide: SYNC_MAPPING, useFactory: () => loadMapping(resolve(path)) });
  }

  /** Like forFile, but null when there is no file (commands that can do without the mapping). */
  static forFileIfPresent(path: string): DynamicModule {
    return MappingModule.with({ provide: SYNC_MAPPING, useFactory: () => (existsSync(resolve(path)) ? loadMapping(resolve(path)) : null) });
  }

  /** A mapping already loaded (the service loads it before Nest starts, to fail fast with its problems). */
  static forMapping(mapping: Mapping): DynamicModule {
    return MappingModule.with({ provide: SYNC_MAPPING, useValue: mapping });
  }

  private static with(provider: Provider): DynamicModule {
    return { module: MappingModule, providers: [provider], exports: [SYNC_MAPPING] };
  }
}
