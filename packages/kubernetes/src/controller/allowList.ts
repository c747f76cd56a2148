/**
 * The endpoints the operator may query for a PodAutoscaler (`prometheus` sources,
 * `predictive.history`): an allow-list in the operator's own configuration
 * (`prescale operator --prometheus-url`), so that whoever may create a PodAutoscaler
 * cannot make the operator fetch an arbitrary URL (an internal service, a cloud
 * metadata endpoint). A URL is allowed when its scheme, host and port equal an entry's
 * and its path is the entry's path or below it (at a `/`); user info in the URL is
 * ignored for the match and never shown ({@link redactUrl}). Pod scrapes are not
 * subject to it: they go to the target's own pods.
 * @module
 */

interface Entry {
  protocol: string;
  host: string;
  /** Without a trailing slash; '' for the root. */
  path: string;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

const trimSlash = (path: string): string => path.replace(/\/+$/, '');

/** A URL as it may be shown: user name and password removed (also from a URL that does not parse). */
export function redactUrl(url: string): string {
  const u = parse(url);
  if (!u) return url.replace(/\/\/[^/?#]*@/, '//');
  if (u.username === '' && u.password === '') return url;
  u.username = '';
  u.password = '';
  return u.toString();
}

export class EndpointAllowList {
  private readonly entries: readonly Entry[];

  /** @throws RangeError naming an entry that is not an http(s) URL. */
  constructor(urls: readonly string[]) {
    this.entries = urls.map((url) => {
      const u = parse(url);
      if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw new RangeError(`not an http(s) URL in the endpoint allow-list: "${redactUrl(url)}"`);
      return { protocol: u.protocol, host: u.host, path: trimSlash(u.pathname) };
    });
  }

  /** The entries, as they may be shown. */
  get urls(): string[] {
    return this.entries.map((e) => `${e.protocol}//${e.host}${e.path}`);
  }

  /** True when `url` is one of the entries or below one. */
  allows(url: string): boolean {
    const u = parse(url);
    if (!u) return false;
    const path = trimSlash(u.pathname);
    return this.entries.some((e) => e.protocol === u.protocol && e.host === u.host && (e.path === '' || path === e.path || path.startsWith(`${e.path}/`)));
  }
}
