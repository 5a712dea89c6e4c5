/**
 * Pure: which route serves a requested model, and what model name each provider is sent.
 * An exact name or alias wins over any pattern; among patterns, the first in the team's route
 * order wins. A pattern's `*` matches any run of characters (`gpt-*`, `*`).
 */
import type { Route, RouteTarget } from './model';

export function isPattern(name: string): boolean {
  return name.includes('*');
}

export function patternMatches(pattern: string, name: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === name;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  let at = first.length;
  const end = name.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = name.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

export interface RouteMatch {
  readonly route: Route;
  /** True when the request named the route's model or one of its aliases (not a pattern). */
  readonly exact: boolean;
}

export function matchRoute(routes: readonly Route[], requested: string): RouteMatch | null {
  const exact = routes.find((route) => (!isPattern(route.model) && route.model === requested) || route.aliases.includes(requested));
  if (exact !== undefined) return { route: exact, exact: true };
  const pattern = routes.find((route) => isPattern(route.model) && patternMatches(route.model, requested));
  return pattern === undefined ? null : { route: pattern, exact: false };
}

/** The model a provider is sent: its own name for it, else the route's model, else (pattern routes) what was asked. */
export function upstreamModel(match: RouteMatch, target: RouteTarget, requested: string): string {
  return target.model ?? (match.exact && !isPattern(match.route.model) ? match.route.model : requested);
}

/** null allows every model; otherwise the requested name must match one entry (exact or pattern). */
export function modelAllowed(allowed: readonly string[] | null, requested: string): boolean {
  return allowed === null || allowed.some((entry) => patternMatches(entry, requested));
}

/** The names a team can ask for by name: every exact route model and alias, in route order, patterns left out. */
export function listedModels(routes: readonly Route[], allowed: readonly string[] | null): string[] {
  const names = routes.flatMap((route) => [...(isPattern(route.model) ? [] : [route.model]), ...route.aliases]);
  return [...new Set(names)].filter((name) => modelAllowed(allowed, name));
}
