export type { Candidate, Crm } from './candidate';
export type { ClusterMember, DuplicateCluster, DuplicateReason } from './duplicate-cluster';
export { findClusters, clusterId } from './find-clusters';
export { clustersDocument, DuplicatesError, findDuplicates, type DuplicatesDependencies } from './duplicates';
export { formatClusters } from './format-clusters';
export { describeMergePlan, planClusterMerge, type ClusterMergePlan, type MergeInput, type RelationRepoint } from './merge-cluster';
export { parseMemberRef, planMerge, type MergePlan } from './merge-plan';
export { awaitMerge, mergeProgress, requestMerge, type MergeProgress, type MergeRequest } from './merge-request';
export { DATA_QUALITY_DEPENDENCIES, DataQualityModule, DuplicateClusterFinder, MergeRequestService } from './data-quality.module';
