import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.ts';
import { basicAuthorization, splitUrlCredentials } from './basicAuth.ts';
import { resolveRestOptions, type RestClientOptions } from './options.ts';

function issuesOf(options: unknown): string[] {
  try {
    resolveRestOptions(options as RestClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  }
  return [];
}

describe('REST client options', () => {
  it('takes credentials out of the URL; auth takes precedence over them', () => {
    const fromUrl = resolveRestOptions({ url: 'http://us%40er:p%40ss:word@10.0.0.5:6789/' });
    expect(fromUrl.endpoints).toEqual([
      { base: 'http://10.0.0.5:6789', auth: { username: 'us@er', password: 'p@ss:word' } },
    ]);
    const both = resolveRestOptions({
      urls: ['http://a:b@h1:1', 'https://h2:2'],
      auth: { username: 'u', password: 'p' },
    });
    expect(both.endpoints.map((e) => e.auth)).toEqual([
      { username: 'u', password: 'p' },
      { username: 'u', password: 'p' },
    ]);
    expect(both.timeoutMs).toBe(10_000);
  });

  it('lists every problem at once, and never shows a credential', () => {
    const issues = issuesOf({
      urls: ['ws://h:1/ws/v1', 'http://ok:1'],
      auth: { username: 'a:b', password: 'secret-pw-1' },
      fetch: 'fetch',
      timeoutMs: 0,
      dialect: 'v1.0.3',
    });
    expect(issues).toEqual([
      'dialect: unknown option dialect',
      'urls.0: an engine URL is the http(s) base URL of its API server, e.g. http://127.0.0.1:6789',
      'auth.username: an HTTP Basic username cannot contain ":"',
      'fetch: fetch is a function',
      'timeoutMs: timeoutMs is a positive number of ms',
    ]);
    expect(issues.join(' ')).not.toContain('secret-pw-1');
    expect(issuesOf({ url: 'http://a:1', urls: ['http://b:1'] })).toEqual([
      ': give either url (one engine) or urls (several engines)',
    ]);
    expect(issuesOf({ url: 'http://us%3Aer:pw@h:1' })).toEqual([
      'url: an HTTP Basic username cannot contain ":" (%3A in the URL)',
    ]);
    expect(issuesOf({ urls: [] })).toEqual(['urls: urls is a non-empty array of engine URLs']);
    expect(issuesOf(null)).toEqual([': createRestClient takes an options object']);
  });

  it('encodes Basic credentials as UTF-8 (RFC 7617)', () => {
    expect(basicAuthorization({ username: 'Aladdin', password: 'open sesame' })).toBe(
      'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    );
    expect(basicAuthorization({ username: 'ü', password: '€' })).toBe('Basic w7w64oKs');
    expect(splitUrlCredentials('http://h:1/x')).toEqual({ url: 'http://h:1/x', auth: undefined });
  });
});
