import { startSandbox, type SandboxEnvironment, type SandboxOptions } from './sandbox-environment';

const USAGE = `usage: crm-sandbox [--port-salesforce N] [--port-monday N] [--state-dir DIR] [--seed demo|empty]

Starts the Salesforce and monday.com emulators on 127.0.0.1 and prints their URLs and credentials
(one NAME=value per line), then "ready". Stop with Ctrl-C or SIGTERM.`;

/** Thrown for a command line the emulators cannot start from; the message says what to change. */
export class UsageError extends Error {}

function portOption(name: string, value: string | undefined): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${name} takes a port number (0-65535, 0 = any free port), got ${String(value)}`);
  return port;
}

export function parseArguments(args: string[]): SandboxOptions | 'help' {
  const options: SandboxOptions = { salesforcePort: 0, mondayPort: 0 };
  for (let i = 0; i < args.length; i++) {
    const name = args[i];
    const value = args[i + 1];
    switch (name) {
      case '--help':
      case '-h':
        return 'help';
      case '--port-salesforce':
        options.salesforcePort = portOption(name, value);
        break;
      case '--port-monday':
        options.mondayPort = portOption(name, value);
        break;
      case '--state-dir':
        if (!value) throw new UsageError('--state-dir takes a folder');
        options.stateDir = value;
        break;
      case '--seed':
        if (value !== 'demo' && value !== 'empty') throw new UsageError(`--seed takes demo or empty, got ${String(value)}`);
        options.seed = value;
        break;
      default:
        throw new UsageError(`unknown argument ${String(name)}`);
    }
    i++;
  }
  return options;
}

/** `crm-sandbox`: both emulators until SIGINT/SIGTERM (returned, for a caller that stops them itself). */
export async function main(args: string[]): Promise<SandboxEnvironment | undefined> {
  let options: SandboxOptions | 'help';
  try {
    options = parseArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`crm-sandbox: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return undefined;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return undefined;
  }
  const sandbox = await startSandbox(options);
  process.stdout.write(`# Salesforce emulator: ${sandbox.salesforce.url} (control API ${sandbox.salesforce.url}/__sandbox/)\n`);
  process.stdout.write(`# monday emulator:     ${sandbox.monday.url} (control API ${sandbox.monday.baseUrl}/__sandbox/)\n`);
  for (const [name, value] of Object.entries(sandbox.variables)) process.stdout.write(`${name}=${value}\n`);
  process.stdout.write('ready\n');
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return sandbox;
}
