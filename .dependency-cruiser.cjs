// @ts-check
/* global module */
/**
 * Which module of src/ may import which, and how the service and the emulator package
 * (packages/sandbox) meet: checked in `npm test` (npm run deps) by dependency-cruiser.
 *   npx depcruise src packages/sandbox/src --config .dependency-cruiser.cjs
 * The folder table in README.md and the module table in docs/architecture.md describe the same rules.
 * There is no baseline of known violations: every arrow that breaks a rule fails the check.
 */

/** Folders every module may use: configuration, the database pool and logs/metrics. */
const INFRASTRUCTURE = ['config', 'database', 'observability'];

/** `^src/(a|b)/` */
const folders = (...names) => `^src/(${names.join('|')})/`;

/** All top-level folders of src/ except `names` (for whitelist rules). */
const ALL = [
  'admin', 'alerts', 'app', 'cli', 'config', 'console', 'data-quality', 'database', 'event-store', 'health',
  'ingest', 'mapping', 'migration', 'monday', 'observability', 'outbox', 'personal-data', 'sync-projector',
  'salesforce', 'sandbox-mode', 'sync-commands',
];
const allBut = (...allowed) => folders(...ALL.filter((name) => !allowed.includes(name)));

/** A rule `from` may import only its own folder, the infrastructure and `allowed`. */
function onlyImports(from, allowed, comment) {
  return {
    name: `${from}-imports-only`,
    severity: 'error',
    comment,
    from: { path: `^src/${from}/` },
    to: { path: allBut(from, ...INFRASTRUCTURE, ...allowed) },
  };
}

/**
 * The modules from the bottom up: each may import only modules listed before it (and itself), so no
 * two modules can import each other, directly or around a loop. The emulators are outside the list:
 * they are their own package (packages/sandbox) and import nothing from the service (rules below).
 */
const LAYERS = [
  'observability', 'config', 'database', 'event-store', 'mapping', 'sync-commands', 'personal-data',
  'salesforce', 'monday', 'alerts', 'ingest', 'sync-projector', 'outbox', 'migration', 'data-quality',
  'health', 'admin', 'console', 'sandbox-mode', 'app', 'cli',
];

function layerRules() {
  return LAYERS.map((name, index) => ({
    name: `layer-${name}`,
    severity: 'error',
    comment:
      `src/${name} may import only the modules below it (${LAYERS.slice(0, index).join(', ') || 'none'}): ` +
      'an arrow upwards is the start of a cycle between modules.',
    from: { path: `^src/${name}/` },
    to: { path: folders(...LAYERS.slice(index + 1)) },
  }));
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A file reaches itself through runtime imports (load order then decides what is undefined). ' +
        'Cycles made only of `import type` are left to the module rule below.',
      from: { path: '^(src|packages/sandbox/src)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...layerRules(),
    {
      name: 'only-entry-points-import-app',
      severity: 'error',
      comment:
        'src/app is the composition root: only the CLI (src/cli, which bin/crm-sync.js runs) may import it; ' +
        'everything else is imported by it.',
      from: { path: '^src/', pathNot: '^src/(app|cli)/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'event-store-imports-no-domain',
      severity: 'error',
      comment: 'The event log is the bottom of the service: it knows no CRM, mapping, projector or command.',
      from: { path: '^src/event-store/' },
      to: { path: folders('mapping', 'sync-projector', 'outbox', 'ingest', 'migration', 'salesforce', 'monday', 'sync-commands', 'alerts', 'health', 'admin', 'console', 'data-quality', 'cli', 'personal-data') },
    },
    onlyImports('ingest', ['event-store', 'mapping', 'salesforce', 'monday', 'personal-data'],
      'Ingest turns what the CRMs report into events: it appends to the event store through the mapping and the CRM ports, nothing downstream.'),
    onlyImports('sync-projector', ['event-store', 'mapping', 'sync-commands', 'personal-data', 'alerts'],
      'Projectors decide from events: event store, mapping and the command types in src/sync-commands; never the outbox runtime or a CRM client.'),
    onlyImports('outbox', ['event-store', 'mapping', 'sync-commands', 'salesforce', 'monday', 'personal-data', 'alerts'],
      'The outbox sends commands through the CRM ports and records outcomes as events; it does not know the projectors or ingest.'),
    onlyImports('sync-commands', ['mapping', 'event-store'],
      'The command types projectors emit and the outbox sends: a neutral module both import.'),
    onlyImports('mapping', ['event-store'],
      'The mapping and converters are pure: they may use the event log value types, nothing else.'),
    {
      name: 'alerts-import-no-crm',
      severity: 'error',
      comment: 'Alerts format and send notices; they must not reach a CRM client.',
      from: { path: '^src/alerts/' },
      to: { path: folders('salesforce', 'monday') },
    },
    {
      name: 'only-entry-points-import-sandbox-mode',
      severity: 'error',
      comment: 'Sandbox mode is chosen by the composition (src/app, src/cli); no module of the sync may know it runs against the emulators.',
      from: { path: '^src/', pathNot: '^src/(sandbox-mode|app|cli)/' },
      to: { path: '^src/sandbox-mode/' },
    },
    {
      name: 'sandbox-is-standalone',
      severity: 'error',
      comment: 'The emulators must be usable alone: packages/sandbox imports nothing from the service.',
      from: { path: '^packages/sandbox/' },
      to: { path: '^(src|test|bench)/' },
    },
    {
      name: 'only-entry-points-start-the-emulators',
      severity: 'error',
      comment: 'The emulators are a library for sandbox mode: only SandboxModeModule (src/sandbox-mode) and the entry points (src/app, src/cli) may start them.',
      from: { path: '^src/', pathNot: '^src/(sandbox-mode|app|cli)/' },
      to: { path: '^packages/sandbox/' },
    },
    {
      name: 'sandbox-through-its-public-entry',
      severity: 'error',
      comment: "The service uses the emulator package only through its public entry ('@crm-sync/sandbox', packages/sandbox/src/index.ts).",
      from: { path: '^src/' },
      to: { path: '^packages/sandbox/', pathNot: '^packages/sandbox/src/index\\.ts$' },
    },
    {
      name: 'only-salesforce-imports-jsforce-faye',
      severity: 'error',
      comment: 'Salesforce API knowledge stays in src/salesforce behind its port (ESLint enforces this too).',
      from: { path: '^(src|packages/sandbox/src)/', pathNot: '^src/salesforce/' },
      to: { path: '^node_modules/(jsforce|faye)/' },
    },
    {
      name: 'only-monday-imports-graphql-request',
      severity: 'error',
      comment: 'monday API knowledge stays in src/monday behind its port (ESLint enforces this too).',
      from: { path: '^(src|packages/sandbox/src)/', pathNot: '^src/monday/' },
      to: { path: '^node_modules/graphql-request/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve: a moved file left an importer behind.',
      from: { path: '^(src|packages/sandbox/src)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(src|packages/sandbox/src)/.*\\.(json|css|html)$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
