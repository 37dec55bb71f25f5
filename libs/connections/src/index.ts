export * from './resolved-connection.js';
export * from './parse-connections.js';
export * from './connections-registry.js';
export { ConnectionsConfigError } from '@crm/contracts';
