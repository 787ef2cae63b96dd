import { ValidationError, type ValidationIssue } from '../errors/errors.ts';
import { FIELDS, type FieldCheck } from '../grammar/fields.ts';
import { METHOD_NAMES, METHODS, type MethodGrammar } from '../grammar/methods.ts';
import { isPlainObject } from '../grammar/values.ts';
import type { OutgoingRequest } from '../schema/requests.ts';

/**
 * Checks a request in its neutral form against the grammar table: each field of its method, then
 * the method's own rule. The `OutgoingRequest` zod schema is built from the same table (a property
 * test proves they agree), without bringing zod into the client bundle. It runs for every call,
 * so it makes no closure and no path array unless a field is wrong.
 */
export function requestIssues(request: unknown): ValidationIssue[] {
  if (!isPlainObject(request)) return [{ path: [], message: 'a request is an object with a method' }];
  const method = request['method'];
  const checks = typeof method === 'string' ? CHECKS.get(method) : undefined;
  if (checks === undefined) {
    return [{ path: ['method'], message: `unknown method ${JSON.stringify(method)}` }];
  }
  const issues: ValidationIssue[] = [];
  const { keys, fields } = checks;
  for (let i = 0; i < keys.length; i += 1) fields[i]!(issues, request[keys[i]!], keys[i]!);
  if (issues.length === 0 && checks.refine !== undefined) {
    const issue = checks.refine(request);
    if (issue) issues.push(issue);
  }
  return issues;
}

/** Each method's field checks, looked up once here rather than per request (this is the hot path). */
const CHECKS = new Map(
  METHOD_NAMES.map((method) => {
    const grammar: MethodGrammar = METHODS[method];
    const fields = grammar.fields.map((field): FieldCheck => FIELDS[field].check);
    return [method as string, { keys: grammar.fields, fields, refine: grammar.refine }];
  }),
);

/** Throws `ValidationError` unless `request` is a valid request. */
export function assertValidRequest(request: unknown): asserts request is OutgoingRequest {
  const issues = requestIssues(request);
  if (issues.length > 0) {
    const method =
      isPlainObject(request) && typeof request['method'] === 'string' ? request['method'] : 'request';
    throw new ValidationError(`${method} request`, issues);
  }
}
