import { Clock } from '../../clock';
export class Bulk2Jobs {
  constructor(readonly clock: Clock, readonly pageSize: number) {}
}
