// A stream-shaped response as text for `--verbose`: its most recent messages (time since the start,
// direction, type, id, data), bounded like a body preview, then how many were not shown and how it ended.

import type { MessageStream } from '../engine/model';
import { describeStreamEnd, lastMessages, messageDataText, messageHeading } from '../engine/streamMessages';

/** Messages shown by `--verbose` before the earlier ones are left out. */
export const previewMessages = 50;
/** Characters of one message's data shown by `--verbose` before it is cut. */
export const previewMessageChars = 2048;

/** The stream for a person to read: one line per message (data on following lines when it has several), then its end. */
export function previewStream(stream: MessageStream, maxMessages = previewMessages, maxChars = previewMessageChars): string {
  const { shown, notShown } = lastMessages(stream.messages, stream.count, maxMessages);
  const lines: string[] = [`[${stream.protocol}: ${stream.count} ${stream.count === 1 ? 'message' : 'messages'}]`];
  if (notShown > 0) lines.push(`[${notShown} earlier ${notShown === 1 ? 'message' : 'messages'} not shown${stream.file === undefined ? '' : `; all of them are in ${stream.file}`}]`);
  for (const message of shown) {
    const data = messageDataText(message.data, maxChars);
    const label = messageHeading(message, 8);
    const cut = data.omitted > 0 ? ` [${data.omitted} more characters]` : '';
    const dataLines = data.text.split('\n');
    if (dataLines.length === 1) lines.push(`${label}  ${data.text}${cut}`);
    else lines.push(label, ...dataLines.map((line) => `    ${line}`), ...(cut === '' ? [] : [`   ${cut}`]));
  }
  lines.push(`[stream ${describeStreamEnd(stream.end)}]`);
  return lines.join('\n');
}
