/**
 * globalSetup of the `e2e` project: the browser tests' Chromium (scripts/lib/chromium.ts), installed
 * once before any file runs when it is missing and we are root, or a clear failure saying how.
 */
import { ensureChromium } from '../../scripts/lib/chromium';

export default async function setup(): Promise<void> {
  await ensureChromium();
}
