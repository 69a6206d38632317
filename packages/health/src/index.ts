export { assessHealth, type HealthOptions } from './assess-health.js';
export type { CustomHealthCheck } from './custom-health-check.js';
export type { Health } from './health.js';
export { HEALTH_STATUSES, type HealthStatus, isHealthStatus, isWorse, worstHealth } from './health-status.js';
