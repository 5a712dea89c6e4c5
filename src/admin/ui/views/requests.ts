/** The recent-requests view: the newest request summaries (the log line's fields), filterable. */
import { html } from 'hono/html';
import { REQUEST_OUTCOMES, type RequestRecord } from '../../../http/request-record';
import type { RequestFilter } from '../../requests';
import { count, duration } from '../format';
import { time, UI, type Markup } from '../layout';

/** A message shown in the table is cut here (the API has it whole, as stored). */
const SHOWN_ERROR_CHARS = 200;

/** Pure: the Error cell: the error's code, its message (cut), and how a stream ended when not by its terminal event. */
export function errorText(record: Pick<RequestRecord, 'errorCode' | 'error' | 'streamEnd'>): string {
  const message = record.error === null ? null : record.error.length > SHOWN_ERROR_CHARS ? `${record.error.slice(0, SHOWN_ERROR_CHARS)}…` : record.error;
  const stream = record.streamEnd !== null && record.streamEnd !== 'terminal' ? `(stream: ${record.streamEnd})` : null;
  return [record.errorCode, message, stream].filter((part) => part !== null && part !== '').join(' ');
}

function attempts(record: RequestRecord): string {
  return record.attempts.map((attempt) => `${attempt.target}: ${attempt.status ?? attempt.outcome}`).join(' → ');
}

export function requestsView(records: readonly RequestRecord[], filter: RequestFilter): Markup {
  return html`<form method="get" action="${UI}/requests" class="row">
      <label>Team <input name="team" value="${filter.teamId ?? ''}" /></label>
      <label>Status <input name="status" type="number" min="100" max="599" value="${filter.status ?? ''}" /></label>
      <label
        >Outcome
        <select name="outcome">
          <option value="">any</option>
          ${REQUEST_OUTCOMES.map((outcome) => html`<option ${outcome === filter.outcome ? 'selected' : ''}>${outcome}</option>`)}
        </select>
      </label>
      <button type="submit">Filter</button>
    </form>
    <p class="muted">${count(records.length)} requests, newest first.</p>
    <div class="table">
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Team</th>
            <th>Route</th>
            <th>Model</th>
            <th class="n">Status</th>
            <th>Outcome</th>
            <th>Attempts</th>
            <th class="n">TTFB</th>
            <th class="n">Total</th>
            <th>Error</th>
          </tr>
        </thead>
        <tbody>
          ${records.map(
            (record) =>
              html`<tr>
                <td>${time(record.at)}</td>
                <td>${record.teamId ?? html`<span class="muted">single</span>`}</td>
                <td>${record.method} ${record.route}</td>
                <td>${record.model ?? ''}</td>
                <td class="n">${record.status ?? ''}</td>
                <td class="${record.outcome}">${record.outcome}</td>
                <td>${attempts(record)}</td>
                <td class="n">${duration(record.ttfbMs)}</td>
                <td class="n">${duration(record.totalMs)}</td>
                <td>${errorText(record)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}
