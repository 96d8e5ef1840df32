import { resolve } from 'node:path';
import { readLiveContext } from '../../migration/read-live-context';
import { loadConfig } from '../../config';
import { formatProblem, validateAgainstLive } from '../../mapping';
import { CliError } from '../cli-error';
import { openCommandContext } from '../command-context';

/** Validates configuration and the mapping against both live schemas, prints every problem, exits. */
export async function checkCommand(): Promise<void> {
  const config = loadConfig();
  if (config.mode === 'sandbox') throw new CliError('no credentials are set: `crm-sync check` validates against the real CRMs (see `crm-sync sandbox`)');
  const path = resolve(config.syncConfigPath);
  const context = await openCommandContext(config, { mapping: true, salesforce: true, monday: true });
  const { mapping } = context;
  const live = await readLiveContext(mapping, context.salesforce, context.monday).finally(() => context.close());
  const problems = validateAgainstLive(mapping, live.live);
  for (const problem of problems) process.stdout.write(`${problem.severity}: ${formatProblem(problem, path)}\n`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (errors > 0) throw new CliError(`${errors} problem(s) in ${path}`);
  process.stdout.write(`ok: ${mapping.objects.length} objects, ${mapping.objects.reduce((n, o) => n + o.fields.length, 0)} fields checked against both CRMs\n`);
}
