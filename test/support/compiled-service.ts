import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
/** Compiled together, as tsx runs them: the service and the worktree's own emulator package. */
const SOURCE_DIRS = ['src', 'packages/sandbox/src'];
/** Read at run time relative to the compiled files (migrations dir, package version, demo mapping). */
const LINKED = ['migrations', 'examples'];

/**
 * The service compiled once with tsc into a directory named after the sources' content hash, for
 * tests that start many `crm-sync start` processes: each then boots with plain node in about a
 * second instead of compiling itself through tsx (20-60 s each on the loaded 2-core machine). The
 * layout mirrors the repository (`<out>/src/...`), so paths the code resolves from `__dirname`
 * (migrations, package.json, examples) land on the same files. `@crm-sync/sandbox` resolves to
 * the compiled `packages/sandbox/src` of this worktree (not node_modules' link to another checkout).
 * Returns the compiled CLI's entry (`<out>/src/cli/main.js`); an up-to-date build is reused.
 */
export function buildCompiledService(): string {
  const out = join(tmpdir(), `crm-sync-compiled-${sourceHash()}`);
  const main = join(out, 'src/cli/main.js');
  if (existsSync(join(out, 'complete'))) return main;
  // Built aside and renamed into place, so two runs building at once never see half a build.
  const staging = `${out}.${process.pid}.${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  try {
    compileInto(staging);
    writeFileSync(join(staging, 'complete'), '');
    try {
      renameSync(staging, out);
    } catch {
      // Another run finished the same build first: use that one.
      rmSync(staging, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return main;
}

function compileInto(out: string): void {
  const config = {
    extends: join(ROOT, 'tsconfig.json'),
    compilerOptions: { rootDir: ROOT, outDir: out, noEmit: false, sourceMap: false, incremental: false, types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] },
    include: SOURCE_DIRS.map((dir) => join(ROOT, dir)),
  };
  const configPath = join(out, 'tsconfig.compiled-service.json');
  writeFileSync(configPath, JSON.stringify(config));
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', configPath], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`tsc could not compile the service for ${out}:\n${String(stdout ?? '')}${String(stderr ?? '')}`, { cause: error });
  }
  rmSync(configPath);
  copyFileSync(join(ROOT, 'package.json'), join(out, 'package.json'));
  writeFileSync(join(out, 'packages/sandbox/package.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(ROOT, 'packages/sandbox/package.json'), 'utf8')), main: 'src/index.js', types: undefined }));
  copyFileSync(join(ROOT, 'src/mapping/mapping.schema.json'), join(out, 'src/mapping/mapping.schema.json'));
  for (const name of LINKED) symlinkSync(join(ROOT, name), join(out, name));
  // Every installed package, except that @crm-sync/sandbox is the build's own.
  const modules = join(out, 'node_modules');
  mkdirSync(join(modules, '@crm-sync'), { recursive: true });
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name !== '@crm-sync' && name !== '.bin') symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  // Relative: the build is renamed into place after it is made.
  symlinkSync('../../packages/sandbox', join(modules, '@crm-sync/sandbox'));
}

/** Content hash of everything the build reads. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const files = [...SOURCE_DIRS.flatMap((dir) => listFiles(join(ROOT, dir))), join(ROOT, 'tsconfig.json'), join(ROOT, 'package.json'), join(ROOT, 'packages/sandbox/package.json')];
  for (const file of files.sort()) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}
