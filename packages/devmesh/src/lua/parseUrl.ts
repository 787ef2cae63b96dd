/** `mix.parse_str`'s result: Go's `net/url.URL` fields in snake_case, plus the decoded query. */
export interface ParsedUrl {
  scheme: string;
  opaque: string;
  user: string;
  host: string;
  path: string;
  raw_path: string;
  force_query: boolean;
  raw_query: string;
  fragment: string;
  raw_fragment: string;
  /** The first value of each query parameter. */
  query: Record<string, string>;
}

const URL_PARTS = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:(\?)([^#]*))?(?:#(.*))?$/s;

/** Splits a URL or a request URI (`/chat?token=1`) the way `net/url.Parse` does for common input. */
export function parseUrl(input: string): ParsedUrl {
  const [, scheme = '', authority, rest = '', question, rawQuery = '', rawFragment] =
    URL_PARTS.exec(input) ?? [];
  const at = authority?.lastIndexOf('@') ?? -1;
  const opaque = scheme !== '' && authority === undefined && !rest.startsWith('/') ? rest : '';
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) if (!(key in query)) query[key] = value;
  const decodedPath = safeDecode(opaque === '' ? rest : '');
  const fragment = rawFragment === undefined ? '' : safeDecode(rawFragment);
  return {
    scheme: scheme.toLowerCase(),
    opaque,
    user: authority !== undefined && at >= 0 ? authority.slice(0, at) : '',
    host: authority === undefined ? '' : authority.slice(at + 1),
    path: decodedPath,
    raw_path: decodedPath === rest || opaque !== '' ? '' : rest,
    force_query: question !== undefined && rawQuery === '',
    raw_query: rawQuery,
    fragment,
    raw_fragment: rawFragment !== undefined && fragment !== rawFragment ? rawFragment : '',
    query,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
