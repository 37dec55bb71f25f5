export * from './held-record.js';
export * from './partition-timers.js';
export * from './due-hold-consumer.js';
export * from './tail-observer.js';
export * from './topic-snapshot.js';
