// The editor's help on a `GRPC` request's target when the request names its `.proto` file with
// `# @proto`: completion of `package.Service` after `host:port/` and of the method after
// `Service/`, and hover on them (what the method takes and returns). The file is read through
// `LanguageHost.readFile` on every ask, never cached, as composition.ts reads other files.

import { CompletionItemKind, MarkupKind, Range, TextEdit, type CompletionItem, type Hover } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { offsetToPosition, requestAt } from './positions';
import { protoMethodKind, protoMethodSignature, protoServices, type ProtoService } from './protoOutline';
import type { Request } from './syntax';

/** The GRPC request whose request-line target holds `offset`, with its services; undefined otherwise. */
function grpcTargetAt(context: FeatureContext, offset: number): { readonly request: Request; readonly services: readonly ProtoService[]; readonly files: readonly string[] } | undefined {
  const request = requestAt(context.document, offset);
  if (request === undefined || request.methodName.toUpperCase() !== 'GRPC') return undefined;
  const { target } = request;
  const lineEnd = context.document.text.indexOf('\n', target.start);
  if (offset < target.start || offset > target.end || (lineEnd !== -1 && offset > lineEnd)) return undefined;
  const files = request.directives.filter((directive) => directive.name.text === 'proto' && directive.value !== undefined).map((directive) => directive.value?.text ?? '');
  const services = files.flatMap((path) => {
    const text = context.host.readFile?.(context.uri, path);
    return text === undefined ? [] : protoServices(text);
  });
  return { request, services, files };
}

/** Services after `host:port/`, methods after `package.Service/`; undefined outside a GRPC target. */
export function grpcCompletions(context: FeatureContext, offset: number): CompletionItem[] | undefined {
  const found = grpcTargetAt(context, offset);
  // Without a # @proto file (or before the first `/`), the target's usual completions apply.
  if (found === undefined || found.services.length === 0) return undefined;
  const { document } = context;
  const typed = document.text.slice(found.request.target.start, offset);
  const authorityEnd = typed.indexOf('/', typed.indexOf('://') === -1 ? 0 : typed.indexOf('://') + 3);
  if (authorityEnd === -1) return undefined;
  const serviceEnd = typed.indexOf('/', authorityEnd + 1);
  const from = found.request.target.start + (serviceEnd === -1 ? authorityEnd + 1 : serviceEnd + 1);
  const range = Range.create(offsetToPosition(document, from), offsetToPosition(document, offset));
  if (serviceEnd === -1) {
    return found.services.map((service) => ({
      label: service.name,
      kind: CompletionItemKind.Module,
      detail: `gRPC service (${service.methods.length} ${service.methods.length === 1 ? 'method' : 'methods'})`,
      textEdit: TextEdit.replace(range, `${service.name}/`),
      command: { title: 'Methods', command: 'editor.action.triggerSuggest' },
    }));
  }
  const serviceName = typed.slice(authorityEnd + 1, serviceEnd);
  const service = found.services.find((candidate) => candidate.name === serviceName);
  return (service?.methods ?? []).map((method) => ({
    label: method.name,
    kind: CompletionItemKind.Method,
    detail: `${protoMethodKind(method)}: ${protoMethodSignature(method)}`,
    textEdit: TextEdit.replace(range, method.name),
  }));
}

/** What the service or method under `offset` is, from the `# @proto` files; undefined outside a GRPC target. */
export function grpcHover(context: FeatureContext, offset: number): Hover | undefined {
  const found = grpcTargetAt(context, offset);
  if (found === undefined || found.services.length === 0) return undefined;
  const { document } = context;
  const { target } = found.request;
  const text = document.text.slice(target.start, target.end);
  const match = /^(?:[A-Za-z][\w+.-]*:\/\/)?[^/]*\/([^/\s]+)\/([^/\s]*)/.exec(text);
  if (match === null) return undefined;
  const serviceStart = target.start + text.indexOf(`/${match[1]}/`) + 1;
  const serviceEnd = serviceStart + match[1].length;
  const methodStart = serviceEnd + 1;
  const methodEnd = methodStart + match[2].length;
  const service = found.services.find((candidate) => candidate.name === match[1]);
  const source = `from ${found.files.map((file) => `\`${file}\``).join(', ')}`;
  if (service === undefined) {
    if (offset < serviceStart || offset > serviceEnd) return undefined;
    return { contents: { kind: MarkupKind.Markdown, value: `No service \`${match[1]}\` ${source}; it has ${found.services.map((candidate) => `\`${candidate.name}\``).join(', ')}.` } };
  }
  if (offset >= serviceStart && offset <= serviceEnd) {
    const lines = service.methods.map((method) => `- ${protoMethodSignature(method)} (${protoMethodKind(method)})`);
    return { range: Range.create(offsetToPosition(document, serviceStart), offsetToPosition(document, serviceEnd)), contents: { kind: MarkupKind.Markdown, value: `**gRPC service** \`${service.name}\` ${source}\n\n${lines.join('\n')}` } };
  }
  if (offset < methodStart || offset > methodEnd) return undefined;
  const method = service.methods.find((candidate) => candidate.name === match[2]);
  if (method === undefined) return { contents: { kind: MarkupKind.Markdown, value: `\`${service.name}\` has no method \`${match[2]}\` ${source}; its methods: ${service.methods.map((candidate) => `\`${candidate.name}\``).join(', ')}.` } };
  const body = method.requestStream ? `The body is the \`${method.requestType}\` messages as JSON, separated by \`===\` lines.` : `The body is one \`${method.requestType}\` as JSON.`;
  const value = `**gRPC method** (${protoMethodKind(method)}) ${source}\n\n\`\`\`proto\n${protoMethodSignature(method)}\n\`\`\`\n\n${body}`;
  return { range: Range.create(offsetToPosition(document, methodStart), offsetToPosition(document, methodEnd)), contents: { kind: MarkupKind.Markdown, value } };
}
