export * from './inbound-record.js';
export * from './failure-routing.js';
export * from './dead-letter-ref.js';
export * from './key-ordered.js';
export * from './consumer-metrics.js';
export * from './connection-label.js';
export * from './pass-through-rpc.filter.js';
export * from './kafka-consumer.server.js';
