// Picks the reporter named by `--reporter`.

import type { ReporterName } from '../arguments';
import type { Style } from '../style';
import { createJsonReporter } from './json';
import { createJunitReporter } from './junit';
import { createPrettyReporter } from './pretty';
import type { Reporter, Write } from './reporter';

/** `writeLive` (default `write`) takes what is printed while a stream is open, message by message. */
export function createReporter(name: ReporterName, write: Write, options: { readonly style: Style; readonly verbose: boolean; readonly writeLive?: Write }): Reporter {
  switch (name) {
    case 'json':
      return createJsonReporter(write, options.writeLive);
    case 'junit':
      return createJunitReporter(write);
    case 'pretty':
      return createPrettyReporter(write, options);
  }
}
