export * from './wait-for.js';
export * from './test-kafka.js';
export * from './test-broker.js';
export * from './run-benchmark.js';
export * from './test-consumer.js';
export * from './create-consumer-app.js';
export * from './median.js';
export * from './time-zones.js';
