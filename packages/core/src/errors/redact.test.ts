import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConnmixError, redactUrl } from './errors.ts';
import {
  basicToken,
  createRedactor,
  maskUserinfo,
  secretsOfCredentials,
  secretsOfUrl,
  splitUserinfo,
  userinfoIssue,
  withoutUserinfo,
} from './redact.ts';
import { utf8Bytes } from '../runtime/utf8.ts';
import {
  leaks,
  refusedRaw,
  PASSWORDS,
  shown,
  userinfo,
  USERNAME,
  type UrlForm,
} from './testing/credentialMatrix.ts';

const FORMS: UrlForm[] = ['raw', 'percent-encoded'];
const cases = PASSWORDS.flatMap((password) => FORMS.map((form) => ({ password, form })));

describe('URLs with credentials', () => {
  it.each(cases)(
    '$form password $password: never shown by id, mask or message redaction',
    ({ password, form }) => {
      const url = `ws://${userinfo(password, form)}10.0.0.5:6789/ws/v1`;
      if (form === 'raw' && /\s/.test(password)) {
        // No URL check of the SDK takes whitespace; text cannot tell where such a URL ends.
        expect(maskUserinfo(url)).toBe('ws://***@10.0.0.5:6789/ws/v1');
        return;
      }
      if (form === 'raw' && refusedRaw(password)) {
        // WHATWG URL would read part of the password as the host or path: refused, not guessed.
        expect(userinfoIssue(url)).toMatch(/percent-encode/);
      } else {
        expect(userinfoIssue(url)).toBeUndefined();
        expect(withoutUserinfo(url)).toBe('ws://10.0.0.5:6789/ws/v1');
      }
      expect(maskUserinfo(url)).toBe('ws://***@10.0.0.5:6789/ws/v1');
      for (const text of [
        redactUrl(`could not connect to ${url}: refused`),
        redactUrl(`'${url}' and "${url}"`),
        new ConnmixError(`WebSocket error on ${url}`).message,
      ]) {
        expect(leaks(text, password), text).toEqual([]);
      }
    },
  );

  it('cuts the userinfo where WHATWG URL does: at the last @ of the authority', () => {
    expect(splitUserinfo('http://u:p@ss@host:1/x@y')).toEqual({
      scheme: 'http://',
      userinfo: 'u:p@ss',
      rest: 'host:1/x@y',
    });
    expect(splitUserinfo('ws://host/ws/v1')).toEqual({
      scheme: 'ws://',
      userinfo: undefined,
      rest: 'host/ws/v1',
    });
    expect(splitUserinfo('not a url')).toEqual({ scheme: '', userinfo: undefined, rest: 'not a url' });
    expect(withoutUserinfo('wss://u:p@h/ws/v1?x=1')).toBe('wss://h/ws/v1?x=1');
    expect(maskUserinfo('ws://h/ws/v1')).toBe('ws://h/ws/v1');
    // The message never quotes the URL.
    expect(userinfoIssue('ws://u:K3y/V4l@h/ws/v1')).not.toContain('K3y');
  });

  it('encodes Basic credentials as UTF-8 base64, as RFC 7617 and Buffer do', () => {
    for (const password of PASSWORDS) {
      expect(basicToken({ username: USERNAME, password })).toBe(
        Buffer.from(`${USERNAME}:${password}`, 'utf8').toString('base64'),
      );
    }
    expect([...utf8Bytes('a\u00e9\u5bc6\u{1f511}\ud800')]).toEqual([
      ...Buffer.from('a\u00e9\u5bc6\u{1f511}\ufffd', 'utf8'),
    ]);
  });
});

describe('createRedactor', () => {
  it.each(PASSWORDS)('takes %s out of messages, stacks, own fields and the whole cause chain', (password) => {
    const url = `ws://${userinfo(password, 'percent-encoded')}host/ws/v1`;
    const raw = `ws://${USERNAME}:${password}@host/ws/v1`;
    const redactor = createRedactor([
      ...secretsOfUrl(url),
      ...secretsOfCredentials({ username: USERNAME, password }),
    ]);
    // As Node's URL error and `ws` write them: the input in the message and in a field.
    const foreign = Object.assign(new TypeError(`Invalid URL: ${raw}`), {
      code: 'ERR_INVALID_URL',
      input: raw,
      request: { headers: { authorization: `Basic ${basicToken({ username: USERNAME, password })}` } },
    });
    const root = new Error(
      `password was ${password}, header Basic ${basicToken({ username: USERNAME, password })}`,
    );
    (foreign as Error).cause = root;
    const error = redactor.error(new ConnmixError(`cannot connect to ${url}`, { cause: foreign }));
    expect(leaks(shown(error, inspect), password)).toEqual([]);
    expect(error.cause).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_URL' });
    expect((error.cause as Error).message).toBe('Invalid URL: ws://***@host/ws/v1');
    expect(((error.cause as Error).cause as Error).message).toBe('password was ***, header Basic ***');
    expect(redactor.text(`{"authorization":"Basic ${basicToken({ username: USERNAME, password })}"}`)).toBe(
      '{"authorization":"Basic ***"}',
    );
  });

  it('survives a cause cycle and leaves non-errors alone', () => {
    const a = new Error('a s3cr3t');
    const b = new Error('b', { cause: a });
    a.cause = b;
    const redacted = createRedactor(['s3cr3t']).error(a);
    expect(redacted.message).toBe('a ***');
    expect(createRedactor(['x']).error(42)).toBe(42);
  });
});
