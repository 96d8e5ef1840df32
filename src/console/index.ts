export { ConsoleModule } from './console.module';
export { CONSOLE_OPTIONS, type ConsoleOptions } from './console-options';
export { OperatorBindings, type SandboxBindings, type SyncBindings } from './operator-bindings';
export { listReconcileRuns, ReconcileRunner, summarize, type ReconcileRun, type ReconcileRunSummary } from './reconcile-runs';
