import { Module, type DynamicModule, type INestApplicationContext, type Provider, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config';
import pino from 'pino';
import { openDataSource, poolOf } from '../database/data-source';
import type { Mapping } from '../mapping';
import { MappingModule, SYNC_MAPPING } from '../mapping/mapping.module';
import type { MondayPort } from '../monday';
import { MONDAY_CLIENT, MondayModule } from '../monday/monday.module';
import { createLogger, type Logger } from '../observability/logger';
import { JsforceSalesforceClient } from '../salesforce';
import { SalesforceModule } from '../salesforce/salesforce.module';
import { SANDBOX_ENDPOINTS, SandboxModeModule, type SandboxEndpoints, type SandboxModeOptions } from '../sandbox-mode';

export { APP_CONFIG } from '../config';
export { SYNC_MAPPING } from '../mapping/mapping.module';
export { MONDAY_CLIENT } from '../monday/monday.module';

export interface CommandNeeds {
  /** The database, as the DataSource owning the command's pool (closed with the context). */
  database?: { max: number; applicationName: string; logger?: Logger };
  /** The mapping file at SYNC_CONFIG; 'if-present': null when there is no file there. */
  mapping?: boolean | 'if-present';
  salesforce?: boolean;
  monday?: boolean;
  /**
   * Sandbox mode: the emulators run in the context (started with it, stopped when it closes) and the
   * context's configuration, so its CRM clients, point at them.
   */
  sandbox?: SandboxModeOptions;
  /**
   * Modules of the command itself (e.g. DataQualityModule.forRootAsync): they inject what the
   * context provides (DataSource, SYNC_MAPPING, JsforceSalesforceClient, MONDAY_CLIENT, APP_CONFIG).
   */
  modules?: DynamicModule[];
}

/**
 * The DataSource of a one-shot command, owning its pool: like the service's, a dropped connection
 * fails the command's query instead of crashing the process. Connection warnings go to `logger`,
 * by default stderr, so a command's stdout (`reconcile --json`) stays its own.
 */
function commandDataSource(url: string, database: NonNullable<CommandNeeds['database']>, secretValues: readonly string[]): Promise<DataSource> {
  const logger = database.logger ?? createLogger({ level: 'warn', secretValues, destination: pino.destination(2) });
  return openDataSource(url, { logger, max: database.max, applicationName: database.applicationName });
}

/** Closes the command's DataSource when the context closes. */
class DatabaseCloser {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

@Module({})
class CommandModule {
  static forCommand(config: AppConfig, needs: CommandNeeds): DynamicModule {
    const imports: DynamicModule[] = [];
    const providers: Provider[] = [];
    // The configuration: the environment's, or in sandbox mode the one pointing at the emulators.
    if (needs.sandbox) imports.push(SandboxModeModule.forRoot(needs.sandbox));
    else providers.push({ provide: APP_CONFIG, useValue: config });
    const { database } = needs;
    if (database) {
      providers.push(
        {
          provide: DataSource,
          inject: [APP_CONFIG],
          useFactory: (effective: AppConfig) => {
            if (!effective.databaseUrl) throw new Error('DATABASE_URL is not set');
            return commandDataSource(effective.databaseUrl, database, effective.secretValues);
          },
        },
        { provide: DatabaseCloser, useFactory: (dataSource: DataSource) => new DatabaseCloser(dataSource), inject: [DataSource] },
      );
    }
    if (needs.mapping === 'if-present') imports.push(MappingModule.forFileIfPresent(config.syncConfigPath));
    else if (needs.mapping) imports.push(MappingModule.forFile(config.syncConfigPath));
    if (needs.salesforce) imports.push(SalesforceModule.forAppConfig());
    if (needs.monday) imports.push(MondayModule.forAppConfig());
    // Global, so the command's own modules (needs.modules) and the CRM modules can inject what it provides.
    return { module: CommandModule, global: true, imports: [...imports, ...(needs.modules ?? [])], providers, exports: [...providers, ...imports] };
  }
}

/** What a one-shot command works with, built by Nest from what it says it needs. */
export class CommandContext {
  constructor(private readonly context: INestApplicationContext) {}

  get config(): AppConfig {
    return this.context.get<AppConfig>(APP_CONFIG);
  }
  get dataSource(): DataSource {
    return this.context.get(DataSource);
  }
  get pool(): Pool {
    return poolOf(this.dataSource);
  }
  get mapping(): Mapping {
    const mapping = this.mappingIfPresent;
    if (!mapping) throw new Error('the command context was opened without a mapping file');
    return mapping;
  }
  /** The mapping of a context opened with `mapping: 'if-present'` (null without a file). */
  get mappingIfPresent(): Mapping | null {
    return this.context.get<Mapping | null>(SYNC_MAPPING);
  }
  get salesforce(): JsforceSalesforceClient {
    return this.context.get(JsforceSalesforceClient);
  }
  get monday(): MondayPort {
    return this.context.get<MondayPort>(MONDAY_CLIENT);
  }

  /** Where the emulators answer (a context opened with `sandbox` only). */
  get sandbox(): SandboxEndpoints {
    return this.context.get<SandboxEndpoints>(SANDBOX_ENDPOINTS);
  }

  /** A provider of the command's own modules (CommandNeeds.modules). */
  get<T>(token: Type<T>): T {
    return this.context.get(token);
  }

  /** Runs the shutdown hooks: the DataSource and its pool are closed. */
  close(): Promise<void> {
    return this.context.close();
  }
}

/**
 * A Nest application context for one command (no HTTP): the configuration, and only the database,
 * mapping and CRM clients it needs. Errors while building it reach the caller (no abort, no Nest log
 * lines on stdout, which carries the command's output).
 */
export async function openCommandContext(config: AppConfig, needs: CommandNeeds): Promise<CommandContext> {
  const context = await NestFactory.createApplicationContext(CommandModule.forCommand(config, needs), { logger: false, abortOnError: false });
  return new CommandContext(context);
}
