// The conformance set shared by every implementation of the protocol, read from the repository.
import { readFileSync } from 'node:fs';
import type { Dialect, IdentifiedRequest, Incoming, Method } from '../src/index.ts';

export interface Vectors {
  decode: Array<{ name: string; dialect: Dialect; frame: string; expect: Incoming }>;
  results: Array<{ dialect: Dialect; method: Method; r: unknown; expect: unknown }>;
  encode: Array<{ dialect: Dialect; request: IdentifiedRequest; wire: unknown }>;
  serverAccepts: Array<{ name: string; dialect: Dialect; frame: string; means: unknown }>;
}

export const vectors: Vectors = JSON.parse(
  readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'),
) as Vectors;
