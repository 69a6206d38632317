export type { RuleTiming } from '@shipshape/policy';
export {
  type CheckOptions,
  type CheckResult,
  type CheckSummary,
  type CheckTimings,
  check,
  isFailure,
} from './check.js';
export {
  CONFIG_FILE_NAMES,
  type ConfigException,
  type FailOn,
  type FormatName,
  parseConfig,
  type ShipshapeConfig,
} from './config.js';
export { type DiffOptions, type DiffRun, diff } from './diff-command.js';
export { ShipshapeError, type ShipshapeErrorCode } from './errors.js';
export { type HealthOptions, type HealthRun, health, type ResourceHealth } from './health-command.js';
export { type CliIo, main } from './main.js';
export { type ResourceChange, type ResourceHistoryOptions, resourceHistory } from './resource-history.js';
export { RULES } from './rules.js';
export { VERSION } from './version.js';
