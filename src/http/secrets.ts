/**
 * The secrets a request's answers and log line must never carry, gathered where each becomes
 * known: the keys a client presented, the deployment's own keys and tokens, and (for a team
 * key) the team's decrypted provider keys. See core/redact.ts for how they are found.
 */
import { presentedKey } from '../core/credentials';
import { fromBase64 } from '../core/encoding';
import { MIN_SECRET_CHARS, Redactor } from '../core/redact';
import type { Settings } from '../config/settings';
import { secretPart } from '../teams/keys';
import type { TeamView } from '../teams/tenant';

/** Query parameters that carry a credential (`?api-key=` as Azure has it, `?key=` as Google does, ...). */
const CREDENTIAL_PARAM = /^(?:api[-_]?key|key|access[-_]?token|token|secret|password|auth)$/i;

/** The credentials in a URL's query: the query goes upstream as it is, and an upstream may echo it. */
function queryCredentials(url: string): string[] {
  const start = url.indexOf('?');
  if (start === -1) return [];
  const found: string[] = [];
  for (const [name, value] of new URLSearchParams(url.slice(start + 1))) if (value !== '' && CREDENTIAL_PARAM.test(name)) found.push(value);
  return found;
}

/**
 * The secret a Basic credential (base64 of `user:password`) decodes to: an upstream may echo it
 * decoded ("invalid password …"), where the base64 text is not found. The password; the user
 * only when there is no password that could be a secret (`key:`, `key:x` are common forms): a
 * user beside a password is a name, often a word (`assistant`), which as a secret would be
 * redacted wherever an answer says it. None when it is not base64 of a `user:password`.
 */
function basicSecret(credential: string | null): string[] {
  const bytes = credential === null ? null : fromBase64(credential);
  if (bytes === null) return [];
  const decoded = new TextDecoder().decode(bytes);
  const colon = decoded.indexOf(':');
  if (colon === -1) return [];
  const password = decoded.slice(colon + 1);
  const secret = password.length >= MIN_SECRET_CHARS ? password : decoded.slice(0, colon);
  return secret === '' ? [] : [secret];
}

/** Every key a client may have sent: Authorization (Bearer, or Basic and what it decodes to), x-api-key, and a credential in the query. */
export function requestSecrets(headers: Headers, url: string): (string | null)[] {
  const authorization = headers.get('authorization');
  const credential = authorization?.split(/\s+/, 2)[1] ?? null;
  const basic = /^Basic\s/i.test(authorization ?? '') ? basicSecret(credential) : [];
  // A team key's visible prefix is shown on purpose (lists, "key cxe_1a2b3c4d… was revoked"): only the rest is secret.
  return [presentedKey(headers), headers.get('x-api-key'), credential, ...basic, ...queryCredentials(url)].map((key) =>
    key === null ? null : secretPart(key),
  );
}

const bySettings = new WeakMap<Settings, Redactor>();

/** The deployment's secrets (upstream key, client keys, admin token, encryption key), prepared once per isolate. */
export function settingsRedactor(settings: Settings): Redactor {
  let redactor = bySettings.get(settings);
  if (redactor === undefined) {
    redactor = Redactor.patterns.with(settings.secrets);
    bySettings.set(settings, redactor);
  }
  return redactor;
}

/** A team's provider keys, as decrypted for its requests. */
export function teamSecrets(view: TeamView): string[] {
  return [...view.providers.values()].flatMap((provider) => (provider.credential.kind === 'key' ? [provider.credential.key] : []));
}
