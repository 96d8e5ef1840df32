import { existsSync, writeFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { loadConfig } from '../../config';
import { buildInitMapping } from '../../mapping/init-mapping';
import { summarizeInitMapping } from '../../mapping/init-mapping-summary';
import { renderInitMappingJson, renderInitMappingYaml } from '../../mapping/init-mapping-yaml';
import { findSalesforceIdColumn, SALESFORCE_ID_COLUMN_TITLE } from '../../mapping/init-salesforce-id-column';
import { mondayBoardFromApi, salesforceObjectFromDescribe, type MondayBoardSchema, type SalesforceObjectSchema } from '../../mapping/live-schema';
import { readMapping } from '../../mapping/load-mapping';
import { formatProblem, type MappingProblem } from '../../mapping/mapping-problem';
import { validateAgainstLive } from '../../mapping/validate-against-live';
import type { MondayBoard, MondayColumn, MondayPort } from '../../monday';
import { isSalesforceError, type SalesforcePort } from '../../salesforce';
import { CliError } from '../cli-error';
import { openCommandContext } from '../command-context';

export interface InitOptions {
  readonly board: string;
  readonly object: string;
  /** Default: SYNC_CONFIG (./crm-sync.yaml). `.json` writes JSON, anything else YAML. */
  readonly out?: string;
  /** Object key under `objects:` (default: the object name in lower case). */
  readonly key?: string;
  readonly force?: boolean;
  /** Print the mapping instead of writing it, and create no column. */
  readonly dryRun?: boolean;
}

export interface InitOutcome {
  /** The file written (null on a dry run). */
  readonly path: string | null;
  readonly text: string;
  /** Id of the Salesforce Id column created on the board, when there was none. */
  readonly createdColumn: string | null;
  readonly problems: readonly MappingProblem[];
}

/** Streams the command writes to: the summary goes to `report`, a dry run's mapping to `output`. */
export interface InitStreams {
  report(line: string): void;
  output(text: string): void;
}

/** `crm-sync init --board ID --object NAME [--out FILE] [--key KEY] [--force] [--dry-run]` (interface.md section 4). */
export async function initCommand(options: InitOptions): Promise<void> {
  await runInit(options, loadConfig(), {
    report: (line) => process[options.dryRun ? 'stderr' : 'stdout'].write(`${line}\n`),
    output: (text) => process.stdout.write(text),
  });
}

/**
 * Reads the board and the sObject, creates the Salesforce Id column when the board has none, writes
 * a starting mapping and checks it against the same board and object.
 */
export async function runInit(options: InitOptions, config: AppConfig, streams: InitStreams): Promise<InitOutcome> {
  const path = resolve(options.out ?? config.syncConfigPath);
  if (!options.dryRun && !options.force && existsSync(path)) {
    throw new CliError(`${path} already exists; use --force to overwrite it, or --out to write another file`);
  }
  if (!/^\d+$/.test(options.board)) throw new CliError(`--board takes a monday board id (digits, the number in the board's URL), got "${options.board}"`);
  if (config.mode === 'sandbox') {
    throw new CliError('no credentials are set: `crm-sync init` reads the real CRMs (for the emulators, run `crm-sync sandbox` and set the variables it prints)');
  }
  const context = await openCommandContext(config, { salesforce: true, monday: true });
  try {
    return await initWith(context.salesforce, context.monday, options, path, streams);
  } finally {
    await context.close();
  }
}

async function initWith(salesforce: SalesforcePort, monday: MondayPort, options: InitOptions, path: string, streams: InitStreams): Promise<InitOutcome> {
  const [apiBoard, object] = await Promise.all([readBoard(monday, options.board), readObject(salesforce, options.object)]);

  let board = toBoardSchema(apiBoard, []);
  let createdColumn: string | null = null;
  let idColumn = findSalesforceIdColumn(board)?.id;
  if (idColumn === undefined) {
    const column: MondayColumn = options.dryRun
      ? { id: 'salesforce_id', title: SALESFORCE_ID_COLUMN_TITLE, type: 'text', settings: {} }
      : await monday.createColumn(board.id, SALESFORCE_ID_COLUMN_TITLE, 'text');
    board = toBoardSchema(apiBoard, [column]);
    idColumn = column.id;
    if (!options.dryRun) createdColumn = column.id;
    streams.report(options.dryRun
      ? `board ${board.id} has no "${SALESFORCE_ID_COLUMN_TITLE}" text column: without --dry-run, init creates one (monday chooses its id)`
      : `created the text column "${SALESFORCE_ID_COLUMN_TITLE}" (${column.id}) on board ${board.id} to hold Salesforce Ids`);
  }

  const mapping = buildInitMapping({ board, object, salesforceIdColumn: idColumn, ...(options.key !== undefined ? { key: options.key } : {}) });
  const render = { schema: schemaReference(path), idColumnCreated: createdColumn !== null };
  const text = extname(path).toLowerCase() === '.json' ? renderInitMappingJson(mapping, render) : renderInitMappingYaml(mapping, render);
  const problems = selfCheck(text, path, board, object);

  if (options.dryRun) streams.output(text);
  else writeMapping(path, text, options.force === true);
  for (const line of summarizeInitMapping(mapping)) streams.report(line);
  for (const problem of problems) streams.report(`${problem.severity}: ${formatProblem(problem, path)}`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (errors > 0) throw new CliError(`${options.dryRun ? 'the mapping' : `wrote ${path}, but it`} has ${errors} problem(s) to fix by hand (listed above)`);
  if (!options.dryRun) streams.report(`wrote ${path}: review it, then run \`crm-sync check\`${options.out !== undefined ? ` with SYNC_CONFIG=${path}` : ''}`);
  return { path: options.dryRun ? null : path, text, createdColumn, problems };
}

async function readBoard(monday: MondayPort, boardId: string): Promise<MondayBoard> {
  const [board] = await monday.boards([boardId]);
  if (!board) throw new CliError(`board ${boardId} does not exist or is not shared with the integration user`);
  return board;
}

async function readObject(salesforce: SalesforcePort, name: string): Promise<SalesforceObjectSchema> {
  try {
    return salesforceObjectFromDescribe(await salesforce.describe(name));
  } catch (error) {
    if (isSalesforceError(error) && error.code === 'NOT_FOUND') {
      throw new CliError(`Salesforce object ${name} does not exist or is not visible to the integration user (use the API name, e.g. Opportunity or Grant__c)`);
    }
    throw error;
  }
}

function toBoardSchema(board: MondayBoard, added: readonly MondayColumn[]): MondayBoardSchema {
  return mondayBoardFromApi({
    id: board.id,
    name: board.name,
    groups: board.groups,
    columns: [...board.columns, ...added].map((c) => ({ id: c.id, title: c.title, type: c.type, settings: c.settings })),
  });
}

/** The written file must load and pass validation against the board and object it came from. */
function selfCheck(text: string, path: string, board: MondayBoardSchema, object: SalesforceObjectSchema): MappingProblem[] {
  const read = readMapping(text, { file: path });
  if (!read.ok) return [...read.problems];
  return validateAgainstLive(read.mapping, { mondayBoards: [board], salesforceObjects: [object] });
}

function writeMapping(path: string, text: string, force: boolean): void {
  try {
    writeFileSync(path, text, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CliError(`${path} already exists; use --force to overwrite it, or --out to write another file`);
    throw new CliError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/** mapping.schema.json (next to the mapping module, in src/ or dist/) as seen from the written file. */
function schemaReference(path: string): string {
  const schema = resolve(__dirname, '../../mapping/mapping.schema.json');
  const fromFile = relative(dirname(path), schema);
  return isAbsolute(fromFile) ? fromFile : fromFile.split('\\').join('/');
}
