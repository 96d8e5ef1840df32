export type { AppConfig, SalesforceAuth } from './app-config';
export { ConfigError } from './config.error';
export { loadConfig } from './load-config';
export { SECRET_VARIABLES } from './config.schema';
export { APP_CONFIG } from './config.tokens';
