import { loadConfig, type AppConfig } from '../config';
import type { SandboxEndpoints } from './sandbox-endpoints';

/**
 * The configuration of a sandbox-mode run: the environment's, with the CRM variables the emulators
 * give; the admin token is the environment's ADMIN_TOKEN or else the one generated for this run, a
 * secret either way.
 */
export function sandboxConfig(endpoints: SandboxEndpoints, generatedAdminToken: string | null): AppConfig {
  const config = loadConfig(undefined, endpoints.variables);
  const adminToken = config.adminToken ?? generatedAdminToken;
  return { ...config, mode: 'sandbox', adminToken, secretValues: adminToken ? [...config.secretValues, adminToken] : config.secretValues };
}
