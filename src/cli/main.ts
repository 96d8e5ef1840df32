import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError } from '../config';
import { PersonalDataKeyError } from '../personal-data';
import { CliError } from './cli-error';
import { backfillCommand } from './commands/backfill.command';
import { checkCommand } from './commands/check.command';
import { eraseCommand } from './commands/erase.command';
import { duplicatesCommand } from './commands/duplicates.command';
import { initCommand } from './commands/init.command';
import { keysEncryptExistingCommand, keysRotateCommand } from './commands/keys.command';
import { migrateCommand } from './commands/migrate.command';
import { reconcileCommand } from './commands/reconcile.command';
import { replayCommand } from './commands/replay.command';
import { sandboxCommand } from './commands/sandbox.command';
import { startCommand } from './commands/start.command';
import { webhooksInstallCommand } from './commands/webhooks-install.command';

/** The `crm-sync` command line (interface.md section 4). Every failure exits non-zero with one line. */
export function buildProgram(): Command {
  const program = new Command('crm-sync').description('Two-way monday.com <-> Salesforce sync').showHelpAfterError();
  program.command('start').description('run the service (same as npm start)').action(startCommand);
  program.command('migrate').description('apply database migrations').action(migrateCommand);
  program
    .command('sandbox')
    .description('run only the Salesforce and monday emulators, seeded with demo data')
    .option('--port-salesforce <n>', 'Salesforce emulator port (default: any free port)')
    .option('--port-monday <n>', 'monday emulator port (default: any free port)')
    .action(sandboxCommand);
  program
    .command('replay')
    .description('rebuild the sync projection from the event log, with no writes to either CRM')
    .option('--projection <name>', 'the projection to rebuild: sync, the only one (links, field state and both directions)')
    .action(replayCommand);
  program
    .command('reconcile')
    .description('compare both CRMs field by field through the mapping and report drift')
    .option('--object <key>', 'only this object key of the mapping')
    .option('--fix', 'append corrective events so the running service repairs the drift')
    .option('--json', 'print the report as JSON')
    .action(reconcileCommand);
  program
    .command('backfill')
    .description('copy Salesforce history into monday through the event log (resumable, idempotent)')
    .option('--object <key>', 'only this mapped object (default: all, parents before children)')
    .option('--since <iso>', 'only records modified since this date or date-time')
    .option('--dry-run', 'print what would change without writing anything')
    .option('--mode <mode>', 'how creates reach monday: auto (bulk import above --bulk-threshold creates when MONDAY_API_VERSION >= 2026-07), mutations (never bulk import), bulk (always)', 'auto')
    .option('--bulk-threshold <n>', 'with --mode auto: creates per object above which bulk import is used', '500')
    .action(backfillCommand);
  program
    .command('duplicates')
    .description('find records that are probably the same person or organisation across both CRMs, or merge one cluster')
    .option('--object <key>', 'only this object key of the mapping')
    .option('--json', 'print the clusters (or the merge) as JSON')
    .option('--merge <clusterId>', 'merge this cluster through the running sync: Salesforce merge, the other items get the delete policy')
    .option('--master <crm:id>', 'with --merge: keep this member (salesforce:ID or monday:ITEM_ID) instead of the proposed master')
    .option('--dry-run', 'with --merge: print what would change without changing anything')
    .option('--wait <seconds>', 'with --merge: how long to wait for the running service to finish it (default 120; 0: only request it)')
    .action(duplicatesCommand);
  program.command('check').description('validate configuration and mapping against both live schemas').action(checkCommand);
  program
    .command('init')
    .description('read a board and an sObject and write a starting mapping (columns matched to fields by title)')
    .requiredOption('--board <id>', 'monday board id')
    .requiredOption('--object <name>', 'Salesforce object API name, e.g. Opportunity or Grant__c')
    .option('--out <file>', 'mapping file to write (default: SYNC_CONFIG or ./crm-sync.yaml; .json writes JSON)')
    .option('--key <key>', 'object key under objects: (default: the object name in lower case)')
    .option('--force', 'overwrite the file when it exists')
    .option('--dry-run', 'print the mapping instead of writing it, and create no column')
    .action(initCommand);
  program
    .command('erase')
    .description('forget one person: destroy their data key (their values in the log read as erased) and clear the sync\'s copies')
    .option('--email <address>', 'the person\'s e-mail address (needs PII_ENCRYPTION_KEY)')
    .option('--salesforce <id>', 'the Lead or Contact Id')
    .option('--monday <itemId>', 'the monday item id')
    .action(eraseCommand);
  const keys = program.command('keys').description('manage the personal-data encryption keys');
  keys.command('rotate').description('rewrap every data key with PII_ENCRYPTION_KEY, reading them with PII_ENCRYPTION_KEY_PREVIOUS').action(keysRotateCommand);
  keys
    .command('encrypt-existing')
    .description('encrypt the personal values stored before PII_ENCRYPTION_KEY was set (events, refused webhooks, sync state); resumable')
    .action(keysEncryptExistingCommand);
  program.command('webhooks').description('manage monday webhooks').command('install').description('create the webhooks the mapping needs at PUBLIC_URL').action(webhooksInstallCommand);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PersonalDataKeyError) {
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
