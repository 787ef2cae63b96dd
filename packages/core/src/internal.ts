// `@connmix/core/internal`: building blocks for sibling packages (the dev mesh, adapters).
// Not a public API: it may change in any release.
export { parseJsonExact } from './codec/exactJson.ts';
export type { ExactPath } from './codec/exactJson.ts';
export { jsonValueIssue } from './grammar/jsonValue.ts';
export type { JsonValueIssue } from './grammar/jsonValue.ts';
export { CHANNEL_PATTERN, CLIENT_ID_PATTERN } from './grammar/fields.ts';
export { connCallArgsIssue } from './grammar/callArgs.ts';
export { isPlainObject } from './grammar/values.ts';
export { DIALECTS } from './codec/dialects.ts';
export { requestIssues } from './codec/validateRequest.ts';
export { FIELDS } from './grammar/fields.ts';
export type { FieldName } from './grammar/fields.ts';
export { LAYOUTS, requestOf } from './grammar/layouts.ts';
export type { ParamsLayout } from './grammar/layouts.ts';
export { isMethod, METHODS, methodInDialect } from './grammar/methods.ts';
export type { Method, MethodGrammar } from './grammar/methods.ts';
export { isNatural, isRoundedInteger, isSafeIntegerFrom } from './grammar/values.ts';
// Also what keeps the grammar's modules in a chunk of their own when the package is built: a
// module only the main entry and the zod schemas share would land in the schemas' chunk, and
// bring zod into the client bundle.
export { deliveryResult, RESULT_FORMS } from './grammar/results.ts';
export type { ResultForm } from './grammar/results.ts';
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
export { ABNORMAL_CLOSURE, transportLifecycle } from './transport/transportLifecycle.ts';
export type { ClosableSocket, TransportLifecycle } from './transport/transportLifecycle.ts';
