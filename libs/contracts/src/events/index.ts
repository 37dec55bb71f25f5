export * from './event-types.js';
export * from './cloud-event-headers.js';
export * from './is-scalar.js';
export * from './event-data-base.js';
export * from './record-event-data.js';
export * from './conversation-event-data.js';
export * from './event-data-classes.js';
