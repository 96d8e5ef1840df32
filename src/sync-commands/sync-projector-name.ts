/**
 * The sync projector's checkpoint name. Commands are decided at one of its checkpoints and the outbox
 * reads that checkpoint to know which state a command was checked against (`stateAsOf`), so the name
 * lives here, beside the commands, where both may import it.
 */
export const SYNC_PROJECTOR = 'sync';
