// A stream-shaped response (SSE events, WebSocket frames, gRPC messages) as a table: time since
// the start, direction, type, id and data. The host bounds the messages and turns their data into
// text (JSON pretty-printed, binary summarised); here it only goes in as `textContent`.
import { type StreamMessageView, type StreamView as StreamInfo } from '../panel/messages';
import { element, formatMs } from './dom';

function messageRow(message: StreamMessageView): HTMLTableRowElement {
  const sent = message.direction === 'sent';
  const direction = element('td', `direction direction-${message.direction}`, sent ? '→' : '←');
  direction.title = sent ? 'Sent' : 'Received';
  const data = element('pre', `data data-${message.dataKind}`, message.data, message.omitted > 0 && element('span', 'omitted', ` … ${message.omitted} more characters`));
  return element(
    'tr',
    `message message-${message.direction}`,
    element('td', 'at', formatMs(message.at)),
    direction,
    element('td', 'type', message.type),
    element('td', 'id', message.id ?? ''),
    element('td', 'data-cell', data),
  );
}

/** The stream's facts (protocol, count, end), a note for the messages not shown, and the messages table. */
export function renderStream(stream: StreamInfo): HTMLElement {
  const noun = stream.count === 1 ? 'message' : 'messages';
  const facts = element(
    'div',
    'stream-facts',
    element('span', 'stream-protocol', stream.protocol),
    element('span', 'stream-count', `${stream.count} ${noun}`),
    element('span', `stream-end stream-end-${stream.endReason}`, stream.end),
  );
  const root = element('section', 'stream', facts);
  if (stream.notShown > 0) {
    root.append(element('div', 'stream-not-shown', `${stream.notShown} earlier ${stream.notShown === 1 ? 'message' : 'messages'} not shown; the last ${stream.messages.length} follow`));
  }
  const head = element('tr', '', element('th', 'at', 'Time'), element('th', 'direction', ''), element('th', 'type', 'Type'), element('th', 'id', 'Id'), element('th', 'data-cell', 'Data'));
  const body = element('tbody');
  for (const message of stream.messages) body.append(messageRow(message));
  root.append(element('div', 'stream-scroller', element('table', 'messages', element('thead', '', head), body)));
  return root;
}
