export type { Candidate, Crm } from './candidate';
export type { ClusterMember, DuplicateCluster, DuplicateReason } from './duplicate-cluster';
export { findClusters, clusterId } from './find-clusters';
export { clustersDocument, DuplicatesError, findDuplicates, type DuplicatesDependencies } from './duplicates';
export { formatClusters } from './format-clusters';
export { formatMergeReport, mergeCluster, type MergeReport } from './merge-cluster';
export { parseMemberRef, planMerge, type MergePlan } from './merge-plan';
