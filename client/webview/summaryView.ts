// The top of the panel: status line, sizes, actions, errors and warnings, then collapsible
// sections for the timing waterfall, headers and redirects.
import { type ExchangeView, type HeaderList, type PanelAction, type TimingPhase } from '../panel/messages';
import { button, element, formatBytes, formatMs, svg } from './dom';

export type PostAction = (action: PanelAction) => void;

const phaseClass: Readonly<Record<TimingPhase['label'], string>> = {
  DNS: 'phase-dns',
  Connect: 'phase-connect',
  TLS: 'phase-tls',
  'First byte': 'phase-wait',
  Download: 'phase-download',
};

/** A waterfall of the exchange's phases: one row per phase, bar offset by its start, ms label after it. */
export function waterfall(phases: readonly TimingPhase[], total: number): SVGSVGElement {
  const rowHeight = 16;
  const labelWidth = 74;
  const barWidth = 240;
  const valueWidth = 70;
  const scale = total > 0 ? barWidth / total : 0;
  const rows = [...phases, { label: 'Total', start: 0, duration: total } as const];
  const chart = svg('svg', { class: 'waterfall', width: labelWidth + barWidth + valueWidth, height: rows.length * rowHeight, role: 'img', 'aria-label': 'Timing waterfall' });
  rows.forEach((phase, index) => {
    const y = index * rowHeight;
    const className = phase.label === 'Total' ? 'phase-total' : phaseClass[phase.label];
    chart.append(
      svg('text', { x: 0, y: y + 12, class: 'phase-label' }, phase.label),
      svg('rect', { x: labelWidth + phase.start * scale, y: y + 3, width: Math.max(1, phase.duration * scale), height: rowHeight - 6, rx: 2, class: className }, svg('title', {}, `${phase.label}: ${formatMs(phase.duration)}`)),
      svg('text', { x: labelWidth + Math.min(barWidth, (phase.start + phase.duration) * scale) + 6, y: y + 12, class: 'phase-value' }, formatMs(phase.duration)),
    );
  });
  return chart;
}

/** The same phases as one thin stacked bar, for the status line. */
function miniWaterfall(phases: readonly TimingPhase[], total: number): SVGSVGElement {
  const width = 120;
  const scale = total > 0 ? width / total : 0;
  const chart = svg('svg', { class: 'mini-waterfall', width, height: 8, 'aria-hidden': 'true' });
  chart.append(svg('rect', { x: 0, y: 0, width, height: 8, rx: 2, class: 'phase-track' }));
  for (const phase of phases) chart.append(svg('rect', { x: phase.start * scale, y: 0, width: Math.max(1, phase.duration * scale), height: 8, class: phaseClass[phase.label] }));
  return chart;
}

function headerTable(headers: HeaderList): HTMLTableElement {
  const table = element('table', 'headers');
  for (const [name, value] of headers) table.append(element('tr', '', element('th', '', name), element('td', '', value)));
  return table;
}

function section(title: string, open: boolean, ...content: Node[]): HTMLDetailsElement {
  const details = element('details', 'section', element('summary', '', title), ...content);
  details.open = open;
  return details;
}

/** Everything above the body. */
export function renderSummary(view: ExchangeView, post: PostAction): HTMLElement {
  const root = element('section', 'summary');
  const response = view.response;
  const status = response
    ? element('span', `status status-${response.statusClass}`, `${response.status} ${response.statusText}`.trim())
    : element('span', 'status status-error', view.error ? `Error: ${view.error.code}` : 'No response');
  const facts = element(
    'span',
    'facts',
    response && element('span', 'fact', `HTTP/${response.httpVersion}`),
    element('span', 'fact', formatMs(view.timings.total)),
    response && element('span', 'fact', view.stream === undefined ? formatBytes(view.body.size) : view.stream.endReason === 'open' ? 'streaming…' : `${view.stream.count} ${view.stream.count === 1 ? 'message' : 'messages'}`),
  );
  facts.title = view.stream === undefined ? 'Protocol, total time and body size' : 'Protocol, total time and messages exchanged';
  // A framed stream (WebSocket, gRPC) has messages but no body: Save exchange keeps them.
  const hasBody = response !== undefined && (view.stream === undefined || view.body.kind !== 'empty');
  const actions = element(
    'span',
    'actions',
    button('Re-send', 'Send this request again', () => post('resend')),
    button('cURL', 'Copy the request as a cURL command', () => post('copyAsCurl')),
    hasBody && button('Copy', 'Copy the response body', () => post('copyBody')),
    hasBody && button('Save', 'Save the response body to a file', () => post('saveBody')),
    // A framed stream's Save keeps every message (not only those in the table), one JSON object a line.
    !hasBody && view.stream !== undefined && view.stream.endReason !== 'open' && button('Save', 'Save every message of the stream as JSON lines', () => post('saveStream')),
    button('Save exchange', 'Save the request and response as text', () => post('saveExchange')),
    hasBody && button('Open', 'Open the body in an editor tab', () => post('openBody')),
  );
  root.append(element('header', 'status-line', status, facts, miniWaterfall(view.timings.phases, view.timings.total), actions));
  root.append(element('div', 'request-line', element('span', 'method', view.request.method), ' ', element('span', 'url', view.request.url)));

  if (view.error) {
    root.append(element('div', 'banner banner-error', element('strong', '', `${view.error.code}`), ' ', view.error.message));
  }
  for (const warning of view.warnings) root.append(element('div', 'banner banner-warning', element('strong', '', 'warning'), ' ', warning));

  const sizes = response
    ? element(
        'p',
        'sizes',
        `Body ${formatBytes(view.body.size)}`,
        view.body.encodedSize !== view.body.size ? ` · ${formatBytes(view.body.encodedSize)} on the wire` : '',
        ` · Headers ${formatBytes(response.headersSize)}`,
        view.body.contentType ? ` · ${view.body.contentType}` : '',
      )
    : undefined;
  root.append(section('Timing', false, waterfall(view.timings.phases, view.timings.total), ...(sizes ? [sizes] : [])));
  if (response) root.append(section(`Response headers (${response.headers.length})`, false, headerTable(response.headers)));
  root.append(section(`Request headers (${view.request.headers.length})`, false, headerTable(view.request.headers)));
  if (view.redirects.length > 0) {
    const list = element('ol', 'redirects');
    for (const redirect of view.redirects) list.append(element('li', '', element('span', 'status-chip', String(redirect.status)), ' ', redirect.url));
    root.append(section(`Redirects (${view.redirects.length})`, true, list));
  }
  return root;
}
