/** The two wire dialects: `v1.0.2` (array params, the default) and `v1.0.3` (object params). */
export const DIALECT_NAMES = ['v1.0.2', 'v1.0.3'] as const;
export type Dialect = (typeof DIALECT_NAMES)[number];
