export * from './payload-validators.js';
export * from './kommo-payloads.js';
export * from './kommo-chat-payloads.js';
export * from './pipeliner-payloads.js';
