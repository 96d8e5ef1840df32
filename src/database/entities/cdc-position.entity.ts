import { Column, Entity, PrimaryColumn } from 'typeorm';

/** cdc_positions (migration 0002): the last stored replay id per CDC channel. Written by explicit SQL in the CDC transaction (invariant 5). */
@Entity({ name: 'cdc_positions' })
export class CdcPositionEntity {
  @PrimaryColumn({ type: 'text' })
  channel!: string;

  /** bigint: pg returns it as a string. */
  @Column({ name: 'replay_id', type: 'bigint' })
  replayId!: string;

  @Column({ name: 'last_commit_at', type: 'timestamptz', nullable: true })
  lastCommitAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
