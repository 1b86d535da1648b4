export * from './registry.js';
export * from './audit.js';
export * from './idempotency.js';
export * from './plans.js';
export * from './inspections.js';
export * from './flags.js';
export * from "./supervision.js";
