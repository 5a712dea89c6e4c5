// The runtime floor of `npm run bench`: a plain pass-through Worker with no policy, served by the
// same Miniflare/workerd as the gateway. Every request goes to UPSTREAM (an origin, no path) with
// the same path, method, headers and body; the upstream's Response comes back as it is.
export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(env.UPSTREAM + url.pathname + url.search, { method: request.method, headers: request.headers, body: request.body });
  },
};
