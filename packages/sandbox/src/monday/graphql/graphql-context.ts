import type { EmulatorCore } from '../emulator-core';
import type { PlatformApiView } from '../http/daily-analytics';
import type { UserRecord } from '../state/model';

export interface ComplexityInfo {
  before: number;
  query: number;
  after: number;
  resetInSeconds: number;
}

/** Per-request context handed to every resolver. */
export interface GraphqlContext {
  core: EmulatorCore;
  user: UserRecord;
  apiVersion: string;
  complexity: ComplexityInfo;
  /** The account's daily limit and API analytics (`platform_api`). */
  platformApi(): PlatformApiView;
}
