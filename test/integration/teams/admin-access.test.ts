/**
 * Who may call the admin API: nobody while ADMIN_TOKEN is unset (a 404 that says how to turn it
 * on), and only a caller with the whole token (401 otherwise).
 */
import { describe, expect, it } from 'vitest';
import { GATEWAY } from '../support';
import { ADMIN_TOKEN, adminRequest, call, error } from './support';

describe('admin API: access', () => {
  it('does not exist (404) while ADMIN_TOKEN is unset, and says how to turn it on', async () => {
    const response = await call(adminRequest('GET', '/teams'), { ADMIN_TOKEN: '' });
    expect(response.status).toBe(404);
    expect(error(response.json)['code']).toBe('unknown_url');
    expect(error(response.json)['message']).toMatch(
      /^codex-edge: the admin API is off: ADMIN_TOKEN is not set; set it .*\.dev\.vars\.hosted.*wrangler secret put ADMIN_TOKEN --env hosted/,
    );
  });

  it('does not exist (404) on a single-upstream deployment while ADMIN_TOKEN is unset, and says how to turn it on there', async () => {
    const response = await call(adminRequest('GET', '/teams'), { ADMIN_TOKEN: '', DB: undefined });
    expect(response.status).toBe(404);
    expect(error(response.json)['message']).toMatch(/the admin API is off: ADMIN_TOKEN is not set; .* in \.dev\.vars and .*secret put ADMIN_TOKEN \(/);
  });

  it.each([
    ['no token', null],
    ['a wrong token', 'test-admin-token-0123456789abcdeX'],
    ['a prefix of the token', ADMIN_TOKEN.slice(0, -1)],
  ])('refuses %s with 401', async (_name, token) => {
    const request = token === null ? new Request(`${GATEWAY}/admin/teams`) : adminRequest('GET', '/teams', undefined, token);
    const response = await call(request);
    expect(response.status).toBe(401);
    expect(error(response.json)).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
  });
});
