export * from './tracing-config.js';
export * from './start-tracing.js';
export * from './kafka-trace-headers.js';
export * from './consumer-span.js';
export * from './server-span.js';
