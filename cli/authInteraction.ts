// The user's part of an OAuth grant in a terminal: the authorization URL or the device code is
// printed on stderr (stdout carries the report), and the run waits for the browser's redirect or
// the provider's answer, up to a time limit. With `--no-interactive` a grant that needs the user
// fails at once with a sentence saying what to do instead.

import type { AuthInteraction, DeviceCodePrompt } from '../engine/oauth/browserStep';
import type { ProgressStream } from './progress';
import type { Style } from './style';

/** How long a run waits for the user to finish in the browser or on the other device. */
export const authWaitMs = 5 * 60_000;

export function terminalAuthInteraction(stderr: ProgressStream, style: Style, interactive: boolean, timeoutMs: number = authWaitMs): AuthInteraction {
  const minutes = `${Math.round(timeoutMs / 60_000)} min`;
  return {
    interactive,
    timeoutMs,
    openBrowser: (configuration, url) => {
      stderr.write(`${style.bold(`To authorize ${configuration}, open this URL in a browser`)} (waiting up to ${minutes}; Ctrl+C stops):\n  ${url}\n`);
      return Promise.resolve();
    },
    showDeviceCode: (prompt: DeviceCodePrompt) => {
      const where = prompt.verificationUriComplete ?? prompt.verificationUri;
      stderr.write(`${style.bold(`To authorize ${prompt.configuration}, open ${where} and enter the code ${prompt.userCode}`)} (waiting up to ${minutes}; Ctrl+C stops)\n`);
      return () => stderr.write(`${prompt.configuration}: the code ${prompt.userCode} is no longer needed\n`);
    },
  };
}
