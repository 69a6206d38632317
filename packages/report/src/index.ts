export type { CheckReport, RuleInfo } from './check-report.js';
export { formatGithub } from './format-github.js';
export { formatJson } from './format-json.js';
export { formatJunit, type JunitOptions } from './format-junit.js';
export { formatMarkdown, type MarkdownOptions } from './format-markdown.js';
export {
  FORMATS,
  type Format,
  formatReport,
  formatReportPieces,
  isFormat,
  type ReportOptions,
} from './format-report.js';
export { formatSarif } from './format-sarif.js';
export { formatText, type TextOptions } from './format-text.js';
export { resourceJson } from './resource-json.js';
