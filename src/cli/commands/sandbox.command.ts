import { startSandbox } from '@crm-sync/sandbox';

export interface SandboxCommandOptions {
  portSalesforce?: string;
  portMonday?: string;
}

/**
 * Only the two emulators, seeded with the demo data, until stopped. Prints the variables that point
 * a crm-sync at them, one `NAME=value` per line, then `ready` (interface.md section 4).
 */
export async function sandboxCommand(options: SandboxCommandOptions): Promise<void> {
  const sandbox = await startSandbox({
    salesforcePort: options.portSalesforce ? Number(options.portSalesforce) : 0,
    mondayPort: options.portMonday ? Number(options.portMonday) : 0,
  });
  for (const [name, value] of Object.entries(sandbox.variables)) process.stdout.write(`${name}=${value}\n`);
  process.stdout.write('ready\n');
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
