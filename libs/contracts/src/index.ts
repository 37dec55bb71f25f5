export * from './sources.js';
export * from './topics.js';
export * from './errors.js';
export * from './record-headers.js';
export * from './connections/connection-config.js';
export * from './connections/validate-connections.js';
export * from './events/index.js';
export * from './payloads/index.js';
