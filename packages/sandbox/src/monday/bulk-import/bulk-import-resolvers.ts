import type { GraphqlContext } from '../graphql/graphql-context';
import type { OnMatch } from './import-job';

type Args = Record<string, unknown>;

function onMatchOf(raw: unknown): OnMatch | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const input = raw as { match_column_id: string; behaviour: OnMatch['behaviour'] };
  return { columnId: input.match_column_id, behaviour: input.behaviour };
}

/** ingest_items, backfill_items (Mutation) and fetch_job_status (Query), API 2026-07+. */
export const BULK_IMPORT_MUTATIONS = {
  ingest_items: (_s: unknown, args: Args, ctx: GraphqlContext) =>
    ctx.core.bulkImport.start('ingest', { boardId: String(args.board_id), groupId: String(args.group_id), onMatch: onMatchOf(args.on_match) }, ctx.user),
  backfill_items: (_s: unknown, args: Args, ctx: GraphqlContext) =>
    ctx.core.bulkImport.start('backfill', { boardId: String(args.board_id), groupId: String(args.group_id), onMatch: null }, ctx.user),
};

export const BULK_IMPORT_QUERIES = {
  fetch_job_status: (_s: unknown, args: Args, ctx: GraphqlContext) => ctx.core.bulkImport.status(String(args.job_id), ctx.user),
};

/** The 2026-10 SDL of bulk import (addendum 1.2), added to the served schema from 2026-07. */
export const BULK_IMPORT_SDL = `
type UploadJobInit { job_id: ID upload_url: String }
union JobStatus = ItemsJobStatus
type ItemsJobStatus {
  status: BulkImportState
  counts: ItemsJobItemCounts
  progress_percentage: Int
  failure_reason: BulkImportFailureReason
  failure_message: String
  fully_imported: Boolean
  report_created: Boolean
  report_url: String
}
type ItemsJobItemCounts { submitted: Int invalid: Int skipped: Int created: Int updated: Int failed: Int }
input OnMatchInput { match_column_id: String! behaviour: OnMatchBehaviour! }
enum OnMatchBehaviour { UPSERT SKIP }
enum BulkImportState { UPLOAD_PENDING REJECTED PROCESSING COMPLETED FAILED }
enum BulkImportFailureReason { INVALID_UPLOAD AUTHORIZATION_FAILED PERMISSION_DENIED BOARD_CAPACITY_EXCEEDED ACCOUNT_CAPACITY_EXCEEDED FILE_TOO_LARGE INTERNAL_ERROR }
extend type Query { fetch_job_status(job_id: ID!): JobStatus! }
extend type Mutation {
  ingest_items(board_id: ID!, group_id: ID!, on_match: OnMatchInput): UploadJobInit
  backfill_items(board_id: ID!, group_id: ID!): UploadJobInit
}
`;
