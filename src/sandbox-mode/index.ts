export { SandboxModeModule, type SandboxModeOptions } from './sandbox-mode.module';
export { SANDBOX_ENDPOINTS, type SandboxEndpoints } from './sandbox-endpoints';
