/**
 * Pure: checks a provider base URL, for the single upstream (UPSTREAM_BASE_URL) and for team
 * providers alike: http or https, no credentials, query or fragment.
 */
export type BaseUrlCheck = { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly problem: string };

export function checkBaseUrl(raw: string): BaseUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: `is not a valid URL: "${raw}"` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, problem: `must use http or https, got "${url.protocol}"` };
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return { ok: false, problem: 'must be a plain base URL without credentials, query or fragment' };
  }
  return { ok: true, url };
}
