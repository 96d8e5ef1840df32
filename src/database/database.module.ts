import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions, openDataSource, poolOf, type DatabaseOptions } from './data-source';

/** Injection token of the pg Pool the DataSource owns (the explicit-SQL hot path's). */
export const DATABASE_POOL = Symbol('DATABASE_POOL');

export interface DatabaseModuleOptions extends DatabaseOptions {
  databaseUrl: string;
  /** Waits this long for a Postgres that is not up yet (see waitForDatabase); default: fail at once. */
  waitMs?: number;
}

export interface DatabaseModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  useFactory: (...args: never[]) => DatabaseModuleOptions | Promise<DatabaseModuleOptions>;
}

type OptionsWithConnection = ReturnType<typeof dataSourceOptions> & { crmSync: DatabaseModuleOptions };

/**
 * The one DataSource, through @nestjs/typeorm, global: inject `DataSource` (or a repository via
 * TypeOrmModule.forFeature) outside the hot path, DATABASE_POOL on it. Nest destroys the DataSource
 * at shutdown (TypeOrmCoreModule's onApplicationShutdown).
 */
@Module({})
export class DatabaseModule {
  /** Opens the DataSource from options built by `useFactory` (e.g. from the config). */
  static forRootAsync(options: DatabaseModuleAsyncOptions): DynamicModule {
    return DatabaseModule.withTypeOrm(
      TypeOrmModule.forRootAsync({
        imports: options.imports,
        inject: options.inject,
        // Our own retry (waitForDatabase) replaces @nestjs/typeorm's.
        useFactory: async (...args: unknown[]) => {
          const database = await options.useFactory(...(args as never[]));
          const withConnection: OptionsWithConnection = { ...dataSourceOptions(database.databaseUrl, database), crmSync: database };
          return { ...withConnection, retryAttempts: 0 } as TypeOrmModuleOptions;
        },
        dataSourceFactory: async (typeOrmOptions) => {
          const { crmSync } = typeOrmOptions as unknown as OptionsWithConnection;
          return openDataSource(crmSync.databaseUrl, crmSync);
        },
      }),
    );
  }

  /** Provides a DataSource opened before Nest starts (start-up code that migrates before the app exists). */
  static forDataSource(dataSource: DataSource): DynamicModule {
    return DatabaseModule.withTypeOrm(
      TypeOrmModule.forRootAsync({
        useFactory: () => ({ ...dataSource.options, retryAttempts: 0 }),
        dataSourceFactory: async () => dataSource,
      }),
    );
  }

  private static withTypeOrm(typeOrm: DynamicModule): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [typeOrm],
      providers: [{ provide: DATABASE_POOL, inject: [DataSource], useFactory: (dataSource: DataSource) => poolOf(dataSource) }],
      exports: [typeOrm, DATABASE_POOL],
    };
  }
}
