// `@connmix/core/internal`: building blocks for sibling packages (the dev mesh, adapters).
// Not a public API: it may change in any release.
export { parseJsonExact } from './codec/exactJson.ts';
export type { ExactPath } from './codec/exactJson.ts';
export { jsonValueIssue } from './codec/jsonValue.ts';
export type { JsonValueIssue } from './codec/jsonValue.ts';
export { CHANNEL_PATTERN, CLIENT_ID_PATTERN, connCallArgsIssue, isPlainObject } from './codec/rules.ts';
export { DIALECTS } from './codec/dialects.ts';
export type { DialectRules } from './codec/dialects.ts';
export { redactUrl } from './errors/errors.ts';
export {
  basicToken,
  createRedactor,
  decodeLeniently,
  maskUserinfo,
  secretsOfCredentials,
  secretsOfUrl,
} from './errors/redact.ts';
export type { Redactor } from './errors/redact.ts';
