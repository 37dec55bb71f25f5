export * from './redact.js';
export * from './json-logger.js';
export * from './ops-server.js';
export * from './tracing/index.js';
