/** Injection token of the service's pino logger (components take `.child({ component })` of it). */
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');
