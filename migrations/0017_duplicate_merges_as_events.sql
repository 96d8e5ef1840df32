-- Why: a duplicate merge is now an event (system.merge_requested) that the sync projector turns
-- into outbox commands, whose outcomes are events (system.command_succeeded/failed,
-- system.record_merged): the event log and the outbox are its audit trail, with retries and dead
-- letters, so the side table the first version wrote (0012) goes. The merge's commands are found by
-- the event that caused them, hence the index.
DROP TABLE IF EXISTS duplicate_merges;
CREATE INDEX outbox_caused_by_idx ON outbox (caused_by);
