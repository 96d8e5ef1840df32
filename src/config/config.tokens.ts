/** Injection token of the effective configuration (an AppConfig) in a Nest context. */
export const APP_CONFIG = Symbol('APP_CONFIG');
