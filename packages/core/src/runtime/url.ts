/**
 * An absolute URL as the SDK accepts it for an engine or a center: a scheme, `://`, and no white
 * space. Only the shape: the transport (or `fetch`) judges the rest and reports it in its own terms.
 */
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

export function isAbsoluteUrl(value: unknown): value is string {
  return typeof value === 'string' && ABSOLUTE_URL.test(value);
}
