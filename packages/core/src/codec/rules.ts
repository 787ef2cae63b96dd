// The rules moved to the grammar layer (`../grammar/`), which the zod schemas import too; these
// names stay for the modules that import them from here.
export { CHANNEL_PATTERN, CLIENT_ID_PATTERN, MESSAGES } from '../grammar/fields.ts';
export { connCallArgsIssue } from '../grammar/callArgs.ts';
export { isNatural as isRequestId, isPlainObject } from '../grammar/values.ts';
