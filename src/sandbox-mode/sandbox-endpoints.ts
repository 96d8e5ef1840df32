/** Where the in-process emulators of sandbox mode answer, and the variables that point the service at them. */
export interface SandboxEndpoints {
  /** The Salesforce emulator's base URL (login and REST). */
  salesforceUrl: string;
  /** The monday emulator's base URL, without /v2 (its control API). */
  mondayUrl: string;
  /** The interface.md section 1 variables (credentials included) for the Salesforce and monday clients. */
  variables: Record<string, string>;
}

/** Injection token of the SandboxEndpoints. */
export const SANDBOX_ENDPOINTS = Symbol('SANDBOX_ENDPOINTS');
