export * from './registry.js';
export * from './audit.js';
export * from './idempotency.js';
