import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './base64.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('encodeBase64', () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes the RFC 4648 vector %j as %j', (text, expected) => {
    expect(encodeBase64(bytes(text))).toBe(expected);
  });

  it('uses + and / for the high values', () => {
    expect(encodeBase64(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('+/+/');
  });

  it('encodes a view into a larger buffer by its own bytes only', () => {
    const view = new Uint8Array([0, 1, 2, 3, 4, 5]).subarray(2, 4);
    expect(encodeBase64(view)).toBe(Buffer.from([2, 3]).toString('base64'));
  });

  it('agrees with Buffer on any bytes, including payloads of several chunks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100_000, size: 'large' }), (data) => {
        expect(encodeBase64(data)).toBe(Buffer.from(data).toString('base64'));
      }),
      { numRuns: 200 },
    );
  });
});
