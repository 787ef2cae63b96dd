import { ValidationError } from '@connmix/core';
import { describe, expect, it } from 'vitest';
import { basicAuthIssue, basicAuthorization, splitUrlCredentials } from './basicAuth.ts';

describe('splitUrlCredentials', () => {
  it('leaves a URL without credentials exactly as it was', () => {
    expect(splitUrlCredentials('ws://127.0.0.1:6789/ws/v1?x=1')).toEqual({
      url: 'ws://127.0.0.1:6789/ws/v1?x=1',
      auth: undefined,
    });
  });

  it('takes user:pass@ out of the URL, percent-decoded', () => {
    expect(splitUrlCredentials('wss://ops%40team:p%3Ass%20w%C3%B6rd@engine:6789/ws/v1')).toEqual({
      url: 'wss://engine:6789/ws/v1',
      auth: { username: 'ops@team', password: 'p:ss wörd' },
    });
  });

  it('accepts a user without a password, and a password without a user', () => {
    expect(splitUrlCredentials('ws://worker@engine/ws/v1').auth).toEqual({
      username: 'worker',
      password: '',
    });
    expect(splitUrlCredentials('ws://:secret@engine/ws/v1').auth).toEqual({
      username: '',
      password: 'secret',
    });
  });

  it('rejects an invalid URL without repeating its credentials', () => {
    let thrown: unknown;
    try {
      splitUrlCredentials('ws://admin:hunter2@bad host/ws/v1');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as Error).message).toMatchInlineSnapshot(
      `"invalid WebSocket URL at url: ws://***@bad host/ws/v1 is not a valid URL (expected ws://host:port/ws/v1; percent-encode / ? # @ % in credentials, or pass them as auth)"`,
    );
    expect((thrown as Error).cause).toBeUndefined();
  });
});

describe('basicAuthorization', () => {
  it('encodes user:password as UTF-8 base64 (RFC 7617)', () => {
    expect(basicAuthorization({ username: 'Aladdin', password: 'open sesame' })).toBe(
      'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    );
    expect(basicAuthorization({ username: 'ü', password: '' })).toBe(`Basic ${btoa('\u00c3\u00bc:')}`);
  });

  it('refuses a username with a colon, which Basic auth cannot carry', () => {
    expect(basicAuthIssue({ username: 'a:b', password: 'c' })).toBe(
      'an HTTP Basic username cannot contain ":"',
    );
    expect(basicAuthIssue({ username: 'a', password: 'b:c' })).toBeUndefined();
  });
});
