import { Inject, Injectable, Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type OptionalFactoryDependency, type Provider } from '@nestjs/common';
import { findDuplicates, type DuplicatesDependencies, type DuplicatesProgress, type ObjectSearch } from './duplicates';
import { planClusterMerge, type ClusterMergePlan, type MergeInput } from './merge-cluster';
import { awaitMerge, mergeProgress, requestMerge, type MergeProgress, type MergeRequest } from './merge-request';

/** What the data-quality services read and write: the database, both CRM ports and the mapping. */
export const DATA_QUALITY_DEPENDENCIES = Symbol('DATA_QUALITY_DEPENDENCIES');

/** Finds clusters of probable duplicates across both CRMs (crm-sync duplicates, the console). */
@Injectable()
export class DuplicateClusterFinder {
  constructor(@Inject(DATA_QUALITY_DEPENDENCIES) private readonly deps: DuplicatesDependencies) {}

  /** Every mapped object, or one; throws DuplicatesError for an unknown object or a spent API budget. */
  find(objectKey?: string, progress?: DuplicatesProgress): Promise<ObjectSearch[]> {
    return findDuplicates(this.deps, objectKey, progress);
  }

  get objectKeys(): string[] {
    return this.deps.mapping.objects.map((o) => o.key);
  }
}

/** Plans a cluster's merge (the dry run) and hands it to the pipeline as `system.merge_requested`. */
@Injectable()
export class MergeRequestService {
  constructor(@Inject(DATA_QUALITY_DEPENDENCIES) private readonly deps: DuplicatesDependencies) {}

  plan(input: MergeInput, progress?: DuplicatesProgress): Promise<ClusterMergePlan> {
    return planClusterMerge(this.deps, input, progress);
  }

  /** Plans again (the cluster must still be the same) and appends the request; the running service carries it out. */
  async request(input: MergeInput, via: 'cli' | 'console', progress?: DuplicatesProgress): Promise<{ plan: ClusterMergePlan; request: MergeRequest }> {
    const plan = await planClusterMerge(this.deps, input, progress);
    return { plan, request: await requestMerge(this.deps.db, plan, via) };
  }

  progress(position: number): Promise<MergeProgress> {
    return mergeProgress(this.deps.db, position);
  }

  awaitFinished(position: number, timeoutMs: number): Promise<MergeProgress> {
    return awaitMerge(this.deps.db, position, timeoutMs);
  }
}

export interface DataQualityAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  useFactory: (...args: never[]) => DuplicatesDependencies | Promise<DuplicatesDependencies>;
}

/**
 * `DataQualityModule.forRoot({ db, salesforce, monday, mapping })` (or forRootAsync with a factory):
 * exports DuplicateClusterFinder and MergeRequestService. Self-contained: it owns no connection.
 */
@Module({})
export class DataQualityModule {
  static forRoot(deps: DuplicatesDependencies): DynamicModule {
    return this.withDependencies({ provide: DATA_QUALITY_DEPENDENCIES, useValue: deps });
  }

  static forRootAsync(options: DataQualityAsyncOptions): DynamicModule {
    return {
      ...this.withDependencies({ provide: DATA_QUALITY_DEPENDENCIES, useFactory: options.useFactory, inject: options.inject ?? [] }),
      imports: options.imports ?? [],
    };
  }

  private static withDependencies(provider: Provider): DynamicModule {
    return {
      module: DataQualityModule,
      providers: [provider, DuplicateClusterFinder, MergeRequestService],
      exports: [DuplicateClusterFinder, MergeRequestService],
    };
  }
}

/** The same services outside a Nest context (the running sync lends them to the console once it has started). */
export function dataQualityServices(deps: DuplicatesDependencies): { finder: DuplicateClusterFinder; merges: MergeRequestService } {
  return { finder: new DuplicateClusterFinder(deps), merges: new MergeRequestService(deps) };
}
