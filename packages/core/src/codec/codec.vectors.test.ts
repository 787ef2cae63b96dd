import { describe, expect, it } from 'vitest';
import { vectors } from '../../test/vectors.ts';
import { createCodec } from './codec.ts';

describe('protocol vectors', () => {
  describe('decode', () => {
    it.each(vectors.decode)('$dialect $name', ({ dialect, frame, expect: expected }) => {
      expect(createCodec({ dialect }).decode(frame)).toStrictEqual(expected);
    });
  });

  describe('results', () => {
    it.each(vectors.results)('$dialect $method $r', ({ dialect, method, r, expect: expected }) => {
      expect(createCodec({ dialect }).result(method, r)).toStrictEqual(expected);
    });
  });

  describe('encode', () => {
    it.each(vectors.encode)('$dialect $request.method', ({ dialect, request, wire }) => {
      const text = createCodec({ dialect }).encode(request);
      expect(JSON.parse(text)).toStrictEqual(wire);
      // Key order as the docs write it: m, p, i.
      expect(text).toBe(JSON.stringify(wire));
    });
  });
});
