import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError } from '../config';
import { CliError } from './cli-error';
import { migrateCommand } from './commands/migrate.command';
import { startCommand } from './commands/start.command';

/** The `crm-sync` command line (interface.md section 4). Every failure exits non-zero with one line. */
export function buildProgram(): Command {
  const program = new Command('crm-sync').description('Two-way monday.com <-> Salesforce sync').showHelpAfterError();
  program.command('start').description('run the service (same as npm start)').action(startCommand);
  program.command('migrate').description('apply database migrations').action(migrateCommand);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`crm-sync: ${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof CliError) {
      process.stderr.write(`crm-sync: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    process.stderr.write(`crm-sync: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

if (require.main === module) void main(process.argv);
