import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * outbox (migration 0003), for the operator's read side (status counts, what a dead letter is).
 * Deciding, claiming and settling commands stay explicit SQL on the hot path; payload and
 * last_error (which may hold encrypted personal data) are not mapped.
 */
@Entity({ name: 'outbox' })
export class OutboxCommandEntity {
  /** bigint: pg returns it as a string. */
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  target!: 'salesforce' | 'monday';

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  status!: 'pending' | 'in_flight' | 'done' | 'dead';

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
