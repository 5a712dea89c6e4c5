/** The overview view: a period's totals (WebSocket connections apart), failures absorbed by kind, and a chart per hour or day. */
import { html } from 'hono/html';
import type { AbsorbedKind } from '../../../teams/usage';
import { PERIODS, type Bucket, type Overview, type Period } from '../../overview';
import { compact, count, duration, share } from '../format';
import { time, UI, type Markup } from '../layout';

/** What each kind of absorbed failure was, in the words of the page. */
export const KIND_LABELS: Readonly<Record<AbsorbedKind, string>> = {
  transport: 'connection reset / unreachable',
  '5xx': '5xx answers',
  '429': '429 rate limited',
  empty: 'cut (empty body)',
  timeout: 'timed out',
  other: 'other (408, stale 400/404, …)',
};

/** The kinds in the order the page lists them (object keys that look like numbers would come first). */
export const KIND_ORDER: readonly AbsorbedKind[] = ['transport', '5xx', '429', 'empty', 'timeout', 'other'];

function card(label: string, value: string, note: string | null = null): Markup {
  return html`<div class="card">
    <dt>${label}</dt>
    <dd>${value}</dd>
    ${note === null ? '' : html`<small class="muted">${note}</small>`}
  </div>`;
}

const BAR_PARTS = ['ok', 'absorbed', 'failed'] as const;

function barValue(bucket: Bucket, part: (typeof BAR_PARTS)[number]): number {
  return part === 'failed' ? bucket.failed + bucket.refused : bucket[part];
}

function chart(view: Overview): Markup {
  const most = Math.max(1, ...view.buckets.map((bucket) => bucket.requests));
  const width = 100 / view.buckets.length;
  const bars = view.buckets.map((bucket, index) => {
    let y = 100;
    return BAR_PARTS.map((part) => {
      const h = (barValue(bucket, part) / most) * 100;
      y -= h;
      return h === 0
        ? ''
        : html`<rect
            class="${part}"
            x="${(index * width + width * 0.1).toFixed(2)}"
            y="${y.toFixed(2)}"
            width="${(width * 0.8).toFixed(2)}"
            height="${h.toFixed(2)}"
          ></rect>`;
    });
  });
  return html`<svg class="chart" viewBox="0 0 100 100" preserveAspectRatio="none" role="img" aria-labelledby="chart-title">
    <title id="chart-title">Requests per ${view.bucketMs === 3_600_000 ? 'hour' : 'day'}: ok, absorbed and failed, most ${count(most)}</title>
    ${bars}
  </svg>`;
}

function bucketTable(view: Overview): Markup {
  return html`<details>
    <summary>Per ${view.bucketMs === 3_600_000 ? 'hour' : 'day'} as a table</summary>
    <div class="table">
      <table>
        <thead>
          <tr>
            <th>From</th>
            <th class="n">Requests</th>
            <th class="n">Failed</th>
            <th class="n">Absorbed</th>
            <th class="n">Retries</th>
            <th class="n">p50 TTFB</th>
          </tr>
        </thead>
        <tbody>
          ${view.buckets.map(
            (bucket) =>
              html`<tr>
                <td>${time(bucket.start, 'hour')}</td>
                <td class="n">${count(bucket.requests)}</td>
                <td class="n">${count(bucket.failed)}</td>
                <td class="n">${count(bucket.absorbed)}</td>
                <td class="n">${count(bucket.retries)}</td>
                <td class="n">${duration(bucket.ttfbP50)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </details>`;
}

export function overviewView(view: Overview, period: Period, stored: number): Markup {
  const { totals } = view;
  const kinds = KIND_ORDER.map((kind) => [kind, KIND_LABELS[kind]] as const);
  return html`<p>
      Period:
      ${(Object.keys(PERIODS) as Period[]).map((p) =>
        p === period ? html`<strong aria-current="true">${p}</strong> ` : html`<a href="${UI}?period=${p}">${p}</a> `,
      )}
      <span class="muted">(from ${time(view.from)} to ${time(view.to)})</span>
    </p>
    <dl class="cards">
      ${card('Requests', count(totals.requests), 'API calls and WebSocket turns')}
      ${card('WebSocket connections', count(totals.connections), `not requests; nor are ${count(totals.prewarms)} prewarms the gateway answered itself`)}
      ${card('Client-visible failures', count(totals.failed), `${share(totals.failed, totals.requests)}; ${count(totals.refused)} refused before any attempt`)}
      ${card('Failures absorbed', count(totals.absorbed), 'requests that succeeded after failed attempts the client never saw')}
      ${card('Retries', count(totals.retries))} ${card('Fallbacks', count(totals.fallbacks), 'requests served by another provider')}
      ${card('TTFB p50', duration(totals.ttfbP50))} ${card('TTFB p99', duration(totals.ttfbP99))} ${card('Tokens in', compact(totals.inputTokens))}
      ${card('Tokens out', compact(totals.outputTokens))}
    </dl>
    <h2>Failed attempts absorbed, by kind</h2>
    <div class="table">
      <table aria-label="Failed attempts absorbed, by kind">
        <tbody>
          ${kinds.map(
            ([kind, label]) =>
              html`<tr data-kind="${kind}">
                <th scope="row">${label}</th>
                <td class="n">${count(totals.absorbedAttempts[kind])}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <h2>Requests over time</h2>
    ${chart(view)}
    <p class="muted"><span class="ok">■ ok</span> <span class="absorbed">■ absorbed</span> <span class="failed">■ failed or refused</span></p>
    ${bucketTable(view)}
    <p class="muted">From the recent-request store: the newest ${count(stored)} requests at most.</p>`;
}
