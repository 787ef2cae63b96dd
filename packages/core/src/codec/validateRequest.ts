import { ValidationError, type ValidationIssue } from '../errors/errors.ts';
import type { OutgoingRequest } from '../schema/requests.ts';
import { jsonValueIssue } from './jsonValue.ts';
import { CHANNEL_PATTERN, CLIENT_ID_PATTERN, MESSAGES, connCallArgsIssue, isPlainObject } from './rules.ts';

/**
 * Checks a request in its neutral form. Mirrors the `OutgoingRequest` zod schema (a property
 * test proves they agree) without bringing zod into the client bundle.
 */
export function requestIssues(request: unknown): ValidationIssue[] {
  if (!isPlainObject(request)) return [{ path: [], message: 'a request is an object with a method' }];
  const issues: ValidationIssue[] = [];
  const expect = (ok: boolean, path: Array<string | number>, message: string) => {
    if (!ok) issues.push({ path, message });
  };
  const isString = (value: unknown): value is string => typeof value === 'string';
  const checkClientId = (clientId: unknown) =>
    expect(
      isString(clientId) && CLIENT_ID_PATTERN.test(clientId),
      ['clientId'],
      // A number is the likely mistake, and the worst one: it has already lost digits.
      typeof clientId === 'number' || typeof clientId === 'bigint'
        ? `client ids are 64-bit and must be passed as decimal strings; the ${typeof clientId} ${String(clientId)} may already have lost precision`
        : MESSAGES.clientId,
    );
  const checkType = () =>
    expect(
      request['type'] === undefined || request['type'] === 'text' || request['type'] === 'binary',
      ['type'],
      "type is 'text' or 'binary'",
    );

  switch (request['method']) {
    case 'server.ping':
    case 'queue.unpop':
      break;
    case 'queue.pop': {
      const topics = request['topics'];
      if (!Array.isArray(topics)) {
        expect(false, ['topics'], 'topics is an array of topic names');
        break;
      }
      topics.forEach((topic, i) => expect(isString(topic) && topic !== '', ['topics', i], MESSAGES.topic));
      expect(topics.length > 0, ['topics'], MESSAGES.topics);
      break;
    }
    case 'conn.call': {
      const { clientId, func, args } = request;
      checkClientId(clientId);
      expect(isString(func) && func !== '', ['func'], MESSAGES.func);
      expect(Array.isArray(args), ['args'], 'args is an array');
      if (issues.length === 0 && isString(func) && Array.isArray(args)) {
        const issue = connCallArgsIssue(func, args) ?? jsonValueIssue(args);
        if (issue) issues.push({ path: ['args', ...issue.path], message: issue.message });
      }
      break;
    }
    case 'mesh.send': {
      const { clientId, data } = request;
      checkClientId(clientId);
      expect(isString(data), ['data'], 'data is a string');
      checkType();
      break;
    }
    case 'mesh.publish': {
      const { channel, data } = request;
      expect(isString(channel) && CHANNEL_PATTERN.test(channel), ['channel'], MESSAGES.channel);
      expect(isString(data), ['data'], 'data is a string');
      checkType();
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
