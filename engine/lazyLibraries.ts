// The JSONPath and XML libraries cost more to load than starting the rest of the CLI, and most
// runs never use a request variable or an assertion on them: each is required on first use
// (esbuild still bundles them). Request variables and `??` assertions share these loaders.
import type * as XmlDom from '@xmldom/xmldom';
import type * as JsonPathPlus from 'jsonpath-plus';
import type * as XPath from 'xpath';
import type { PostmanCollectionLibrary } from './importers/postmanModel';

/* eslint-disable @typescript-eslint/no-require-imports -- `import` would load them at start-up */
export const loadJsonPath = (): typeof JsonPathPlus => require('jsonpath-plus') as typeof JsonPathPlus;
export const loadXmlDom = (): typeof XmlDom => require('@xmldom/xmldom') as typeof XmlDom;
export const loadXPath = (): typeof XPath => require('xpath') as typeof XPath;
/* eslint-enable @typescript-eslint/no-require-imports */

/** postman-collection (with lodash, faker and iconv-lite under it, about 2 MB): for `courier import postman` only. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first import, never at start-up
export const loadPostmanCollection = (): PostmanCollectionLibrary => require('postman-collection') as PostmanCollectionLibrary;
