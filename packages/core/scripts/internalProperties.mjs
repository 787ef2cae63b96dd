// Property names that only core's own code reads or writes: the members of its internal classes
// and records (the connection, the lifecycle, pending calls, the consumption, the JSON-data walk).
// The build gives each one a name of one or two letters (`rollup.config.mjs`), because a bundler
// keeps property names as they are and these cost the browser bundle about 220 B of gzip.
//
// A name may be listed only if no value that leaves core carries it: it is in none of the
// packages' declarations, every access to it resolves to a declaration in core's source, no code
// spells it as a string (`obj['name']`, `'name' in obj`), and the platform does not call it by
// that name (`next`, `then`, `toJSON`). `test/internalProperties.test.ts` checks the source, the
// build refuses a listed name imported from a dependency, `pnpm run check:package` checks the
// declarations, and `pnpm run test:built` runs real sessions on the build, ESM and CommonJS. A
// name left out costs bytes only; a wrong one breaks the build's tests, so when a check refuses
// a name, take it out of the list.
//
// Most used first: the first names get the single letters of `SHORT_NAMES`, later ones two.
export const INTERNAL_PROPERTIES = [
  'sent',
  'report',
  'kill',
  'emit',
  'deliver',
  'heard',
  'settled',
  'deadline',
  'answer',
  'settle',
  'consumer',
  'connectionLost',
  'drain',
  'normal',
  'prepare',
  'reset',
  'stopListening',
  'track',
  'lost',
  'opened',
  'isOpen',
  'abnormal',
  'factory',
  'isClosed',
  'remove',
  'sentAt',
  'inObject',
  'reads',
  'wants',
  'roundTrip',
  'codec',
  'attach',
  'ceilingMs',
  'closeAll',
  'connectTimeout',
  'connectionOpened',
  'detach',
  'front',
  'heartbeatTimeout',
  'listening',
  'onSlow',
  'openedAt',
  'parent',
  'popping',
  'preparePing',
  'release',
  'retryPolicy',
  'sendFailed',
  'serverError',
  'terminated',
  'unpopping',
  'hasNativePing',
  'listens',
  'onReturn',
  'resolveAll',
  'rejectAll',
  'requests',
  'wait',
];

const LOWERCASE = [...'abcdefghijklmnopqrstuvwxyz'];

/** The pairs of lowercase letters that core's code uses as property names. */
const PAIRS_IN_USE = new Set(['at', 'id', 'if', 'io', 'ok', 'on', 'to']);

/**
 * The names given, in list order: first the letters that are no property of core's code (the
 * wire's keys `m p i e E c d t n f a r s` are left out), then the pairs of lowercase letters that
 * are none either, which measured smaller than `$` and a letter. `test/internalProperties.test.ts`
 * refuses a name here that core uses as a property: add it to `PAIRS_IN_USE`, or drop the letter.
 */
export const SHORT_NAMES = [
  ...'bghjkloquvwxyzABCDFGHIJKLMNOPQRSTUVWXYZ',
  ...LOWERCASE.flatMap((first) => LOWERCASE.map((second) => first + second)).filter(
    (pair) => !PAIRS_IN_USE.has(pair),
  ),
];

/** The name each listed property gets: fixed by its place in the list, so every build agrees. */
export function shortNames(names = INTERNAL_PROPERTIES) {
  if (names.length > SHORT_NAMES.length) {
    throw new Error(`at most ${SHORT_NAMES.length} internal property names: ${names.length} listed`);
  }
  return Object.fromEntries(names.map((name, index) => [name, SHORT_NAMES[index]]));
}
