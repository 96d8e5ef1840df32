/**
 * A refresh of the user directory (people <-> OwnerId by e-mail) found users it did not know: values
 * waiting for a person it did not know are converted again at this event. Counts only: the lists are
 * e-mail addresses (personal data), stored in sync_context_cache, never in the log.
 */
export interface UserDirectoryChanged {
  /** Users (of either CRM) in this read that the one before did not have. */
  added: number;
  /** Users of the read before that this one no longer has. */
  removed: number;
  salesforceUsers: number;
  mondayUsers: number;
  /** What read the lists: the periodic or on-demand refresh, or a service start. */
  via: 'refresh' | 'start';
}
