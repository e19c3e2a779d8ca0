// Picks the reporter named by `--reporter`.

import type { ReporterName } from '../arguments';
import type { Style } from '../style';
import { createJsonReporter } from './json';
import { createJunitReporter } from './junit';
import { createPrettyReporter } from './pretty';
import type { Reporter, Write } from './reporter';

export function createReporter(name: ReporterName, write: Write, options: { readonly style: Style; readonly verbose: boolean }): Reporter {
  switch (name) {
    case 'json':
      return createJsonReporter(write);
    case 'junit':
      return createJunitReporter(write);
    case 'pretty':
      return createPrettyReporter(write, options);
  }
}
