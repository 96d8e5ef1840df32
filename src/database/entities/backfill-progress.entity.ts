import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * backfill_progress (migration 0005), for the read side (console, tests). The run's transitions and
 * its cursor stay explicit SQL: the cursor commits with the page's events (one transaction).
 */
@Entity({ name: 'backfill_progress' })
export class BackfillProgressEntity {
  @PrimaryColumn({ name: 'object_key', type: 'text' })
  objectKey!: string;

  @Column({ type: 'text' })
  status!: 'running' | 'paused' | 'done' | 'failed';

  @Column({ type: 'timestamptz', nullable: true })
  since!: Date | null;

  @Column({ name: 'last_modstamp', type: 'timestamptz', nullable: true })
  lastModstamp!: Date | null;

  @Column({ name: 'last_id', type: 'text', nullable: true })
  lastId!: string | null;

  /** bigint columns: pg returns them as strings. */
  @Column({ type: 'bigint', nullable: true })
  total!: string | null;

  @Column({ name: 'records_read', type: 'bigint' })
  recordsRead!: string;

  @Column({ name: 'events_appended', type: 'bigint' })
  eventsAppended!: string;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
