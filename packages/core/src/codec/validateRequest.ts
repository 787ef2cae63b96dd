import { ValidationError, type ValidationIssue } from '../errors/errors.ts';
import { FIELDS } from '../grammar/fields.ts';
import { isMethod, METHODS, type MethodGrammar } from '../grammar/methods.ts';
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
  if (!isMethod(method)) return [{ path: ['method'], message: `unknown method ${JSON.stringify(method)}` }];
  const issues: ValidationIssue[] = [];
  const { fields, refine }: MethodGrammar = METHODS[method];
  for (let i = 0; i < fields.length; i += 1) {
    const field = fields[i]!;
    FIELDS[field].check(issues, request[field], field);
  }
  if (issues.length === 0 && refine !== undefined) {
    const issue = refine(request);
    if (issue) issues.push(issue);
  }
  return issues;
}

/** Throws `ValidationError` unless `request` is a valid request. */
export function assertValidRequest(request: unknown): asserts request is OutgoingRequest {
  const issues = requestIssues(request);
  if (issues.length > 0) {
    const method =
      isPlainObject(request) && typeof request['method'] === 'string' ? request['method'] : 'request';
    throw new ValidationError(`${method} request`, issues);
  }
}
