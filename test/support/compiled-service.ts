import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
/** Compiled together, as tsx runs them: the service and the worktree's own emulator package. */
const SOURCE_DIRS = ['src', 'packages/sandbox/src'];
/** Read at run time relative to the compiled files (migrations dir, package version, demo mapping). */
const LINKED = ['migrations', 'examples'];

/**
 * The service compiled once into a directory named after the sources' content hash, for
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

/**
 * Each file transpiled on its own (ts.transpileModule, the tsconfig's options: the sources are
 * `isolatedModules`, so this is what tsc emits), without type checking: `npm run typecheck` does that,
 * and it takes a few CPU seconds instead of tsc's ~20.
 */
function compileInto(out: string): void {
  const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.convertCompilerOptionsFromJson(configFile.config.compilerOptions, ROOT);
  const compilerOptions = { ...options, sourceMap: false, inlineSourceMap: false, noEmit: false, declaration: false, paths: undefined };
  for (const dir of SOURCE_DIRS) {
    for (const file of listFiles(join(ROOT, dir))) {
      const target = join(out, relative(ROOT, file));
      mkdirSync(dirname(target), { recursive: true });
      if (!file.endsWith('.ts')) {
        copyFileSync(file, target);
        continue;
      }
      if (file.endsWith('.d.ts')) continue;
      const result = ts.transpileModule(readFileSync(file, 'utf8'), { fileName: file, compilerOptions, reportDiagnostics: true });
      const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (errors.length > 0) throw new Error(`could not compile ${file}: ${ts.flattenDiagnosticMessageText(errors[0].messageText, '\n')}`);
      writeFileSync(target.replace(/\.ts$/, '.js'), result.outputText);
    }
  }
  copyFileSync(join(ROOT, 'package.json'), join(out, 'package.json'));
  writeFileSync(join(out, 'packages/sandbox/package.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(ROOT, 'packages/sandbox/package.json'), 'utf8')), main: 'src/index.js', types: undefined }));
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
  // The build's own version: a change to how it is made names new directories.
  const hash = createHash('sha256').update('transpiled-v2\0');
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
