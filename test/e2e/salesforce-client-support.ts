/**
 * Shared set-up for the Salesforce client and streaming e2e tests: the emulator on a free loopback
 * port and a crm-sync Salesforce client configured for one auth flow.
 */
import type { AppConfig, SalesforceAuth } from '../../src/config/app-config';
import { createSalesforceClient, type JsforceSalesforceClient, type SalesforceClientOptions } from '../../src/salesforce';
import { startSalesforceEmulator, type SalesforceEmulator, type SalesforceEmulatorOptions } from '@crm-sync/sandbox';

// Reference 0.10: jsforce and faye read proxy variables for every URL, loopback included.
for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY']) delete process.env[name];

export const API_VERSION = '62.0';
export const CLIENT_NAME = 'crm-sync';

export type FlowName = SalesforceAuth['flow'];

export function startEmulator(options: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  return startSalesforceEmulator({ cometd: { holdMs: 5_000 }, ...options });
}

export function authFor(emulator: SalesforceEmulator, flow: FlowName): SalesforceAuth {
  const c = emulator.credentials;
  switch (flow) {
    case 'password':
      return { flow, clientId: c.clientId, clientSecret: c.clientSecret, username: c.username, password: c.password };
    case 'client_credentials':
      return { flow, clientId: c.clientId, clientSecret: c.clientSecret };
    case 'jwt':
      return { flow, clientId: c.clientId, username: c.username, privateKey: c.privateKeyPem };
    case 'token':
      throw new Error('token flow: build it from a login (see tokenAuthFor)');
  }
}

export function salesforceConfig(emulator: SalesforceEmulator, auth: SalesforceAuth | null): AppConfig['salesforce'] {
  return { loginUrl: emulator.url, apiVersion: API_VERSION, clientName: CLIENT_NAME, auth };
}

/** Fast test defaults: no jsforce transport retries, quick Bulk polling. */
export const FAST: SalesforceClientOptions = {
  transportRetries: { maxRetries: 0 },
  bulk: { pollIntervalMs: 20, timeoutMs: 10_000 },
};

export function connect(emulator: SalesforceEmulator, flow: FlowName = 'password', options: SalesforceClientOptions = {}): Promise<JsforceSalesforceClient> {
  return createSalesforceClient(salesforceConfig(emulator, authFor(emulator, flow)), { ...FAST, ...options });
}

/** Collects an async iterable (bounded by the test data). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Runs a promise expected to reject and returns the rejection. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
