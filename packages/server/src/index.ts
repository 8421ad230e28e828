/**
 * @castellan/server: the Castellan server as a library. `castellan serve` is a thin wrapper.
 * @module
 */
export { createCastellan, startCastellan } from './main.js';
export type { Castellan, CastellanServer, StartOptions } from './main.js';
export { resolveConfig, configFromEnv, configFromFile, startWarnings, CONFIG_ENV } from './config/config.js';
export type { ServerConfig, ConfigSource, ConfigProblem, ConfigResult } from './config/config.js';
