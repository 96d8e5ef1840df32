import type { Crm } from './candidate';

export type DuplicateReason = 'email' | 'phone' | 'name';

export interface ClusterMember {
  readonly crm: Crm;
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  /** The id on the other side the sync links this member to, if any. */
  readonly linkedTo: string | null;
  readonly createdAt: string | null;
  readonly filled: number;
}

/** One group of records that are probably the same person or organisation (contract section 5). */
export interface DuplicateCluster {
  /** Stable while the members stay the same: a hash of the object and the sorted member keys. */
  readonly id: string;
  readonly object: string;
  /** What the members share, e.g. "email, phone". */
  readonly reason: string;
  readonly reasons: readonly DuplicateReason[];
  readonly master: { readonly crm: Crm; readonly id: string };
  /** Why that member was proposed as the master. */
  readonly masterReason: string;
  readonly members: readonly ClusterMember[];
}
