import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * parked_events (migration 0006), for the read side (lists, counts). Parking and resolving stay
 * explicit SQL in the subscription runner's transaction; transaction_id (xid8) is not mapped.
 */
@Entity({ name: 'parked_events' })
export class ParkedEventEntity {
  @PrimaryColumn({ type: 'text' })
  subscriber!: string;

  /** bigint: pg returns it as a string. */
  @PrimaryColumn({ type: 'bigint' })
  position!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'text' })
  stream!: string;

  @Column({ name: 'record_keys', type: 'jsonb' })
  recordKeys!: string[];

  @Column({ name: 'error_message', type: 'text' })
  errorMessage!: string;

  @Column({ name: 'error_stack', type: 'text', nullable: true })
  errorStack!: string | null;

  @Column({ name: 'parked_at', type: 'timestamptz' })
  parkedAt!: Date;

  @Column({ name: 'retry_requested_at', type: 'timestamptz', nullable: true })
  retryRequestedAt!: Date | null;

  @Column({ name: 'retried_at', type: 'timestamptz', nullable: true })
  retriedAt!: Date | null;

  @Column({ type: 'integer' })
  retries!: number;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}
