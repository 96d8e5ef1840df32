import { BackfillProgressEntity } from './backfill-progress.entity';
import { CdcPositionEntity } from './cdc-position.entity';
import { OutboxCommandEntity } from './outbox-command.entity';
import { ParkedEventEntity } from './parked-event.entity';

export { BackfillProgressEntity } from './backfill-progress.entity';
export { CdcPositionEntity } from './cdc-position.entity';
export { OutboxCommandEntity } from './outbox-command.entity';
export { ParkedEventEntity } from './parked-event.entity';

/** The entities of the tables outside the hot path (the hot path keeps explicit SQL on the same pool). */
export const DATABASE_ENTITIES: Array<new () => object> = [BackfillProgressEntity, CdcPositionEntity, OutboxCommandEntity, ParkedEventEntity];
