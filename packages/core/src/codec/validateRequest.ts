import { ValidationError, type ValidationIssue } from '../errors/errors.ts';
import type { OutgoingRequest } from '../schema/requests.ts';
import { connCallArgsIssue } from '../grammar/callArgs.ts';
import { jsonValueIssue } from '../grammar/jsonValue.ts';
import { CHANNEL_PATTERN, CLIENT_ID_PATTERN, MESSAGES } from '../grammar/fields.ts';
import { isPlainObject } from '../grammar/values.ts';

/** The issues of a request, shared by the checks below; nothing is allocated for a field that is valid. */
type Issues = ValidationIssue[];

const isString = (value: unknown): value is string => typeof value === 'string';

function checkClientId(issues: Issues, clientId: unknown): void {
  if (isString(clientId) && CLIENT_ID_PATTERN.test(clientId)) return;
  issues.push({
    path: ['clientId'],
    // A number is the likely mistake, and the worst one: it has already lost digits.
    message:
      typeof clientId === 'number' || typeof clientId === 'bigint'
        ? `client ids are 64-bit and must be passed as decimal strings; the ${typeof clientId} ${String(clientId)} may already have lost precision`
        : MESSAGES.clientId,
  });
}

function checkData(issues: Issues, request: Record<string, unknown>): void {
  if (!isString(request['data'])) issues.push({ path: ['data'], message: 'data is a string' });
  const type = request['type'];
  if (type !== undefined && type !== 'text' && type !== 'binary') {
    issues.push({ path: ['type'], message: "type is 'text' or 'binary'" });
  }
}

/**
 * Checks a request in its neutral form: the fields of each method in the grammar table
 * (`../grammar/`), with their patterns and messages, spelled out per method: the table itself
 * would cost the client bundle about 300 B min+gzip and each request some time. Property tests
 * hold it equal to the `OutgoingRequest` zod schema, which is built from the table. It runs for
 * every call, so it makes no closure and no path array unless a field is wrong.
 */
export function requestIssues(request: unknown): ValidationIssue[] {
  if (!isPlainObject(request)) return [{ path: [], message: 'a request is an object with a method' }];
  const issues: Issues = [];
  switch (request['method']) {
    case 'server.ping':
    case 'queue.unpop':
      break;
    case 'queue.pop': {
      const topics = request['topics'];
      if (!Array.isArray(topics)) {
        issues.push({ path: ['topics'], message: 'topics is an array of topic names' });
        break;
      }
      for (let i = 0; i < topics.length; i += 1) {
        const topic: unknown = topics[i];
        if (!isString(topic) || topic === '') issues.push({ path: ['topics', i], message: MESSAGES.topic });
      }
      if (topics.length === 0) issues.push({ path: ['topics'], message: MESSAGES.topics });
      break;
    }
    case 'conn.call': {
      const { clientId, func, args } = request;
      checkClientId(issues, clientId);
      if (!isString(func) || func === '') issues.push({ path: ['func'], message: MESSAGES.func });
      if (!Array.isArray(args)) issues.push({ path: ['args'], message: 'args is an array' });
      if (issues.length === 0 && isString(func) && Array.isArray(args)) {
        const issue = connCallArgsIssue(func, args) ?? jsonValueIssue(args);
        if (issue) issues.push({ path: ['args', ...issue.path], message: issue.message });
      }
      break;
    }
    case 'mesh.send':
      checkClientId(issues, request['clientId']);
      checkData(issues, request);
      break;
    case 'mesh.publish': {
      const channel = request['channel'];
      if (!isString(channel) || !CHANNEL_PATTERN.test(channel)) {
        issues.push({ path: ['channel'], message: MESSAGES.channel });
      }
      checkData(issues, request);
      break;
    }
    default:
      issues.push({ path: ['method'], message: `unknown method ${JSON.stringify(request['method'])}` });
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
