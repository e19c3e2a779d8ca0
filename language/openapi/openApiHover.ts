// Hover on a request line: the operation of the workspace's OpenAPI spec it stands for (summary,
// description, parameters, request body, responses).

import { type Hover, MarkupKind, Range } from 'vscode-languageserver-types';
import type { FeatureContext } from '../context';
import { blockAt, offsetToPosition } from '../positions';
import { describeSchema, propertiesOf, typeLabel } from './schemaNavigation';
import { requestOperation } from './requestOperations';
import type { OpenApiSpec, SpecOperation } from './specModel';

/** The operation of the request line at `offset`, or undefined off a request line or without a match. */
export function openApiHover(context: FeatureContext, offset: number): Hover | undefined {
  if ((context.host.openApi?.specsFor(context.uri).length ?? 0) === 0) return undefined;
  const request = blockAt(context.document, offset).request;
  if (!request || offset < request.start || offset > request.requestLineEnd) return undefined;
  const found = requestOperation(context, request);
  if (!found?.operation) return undefined;
  return {
    contents: { kind: MarkupKind.Markdown, value: operationMarkdown(found.spec, found.operation) },
    range: Range.create(offsetToPosition(context.document, request.start), offsetToPosition(context.document, request.requestLineEnd)),
  };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** An operation for people, in Markdown. */
export function operationMarkdown(spec: OpenApiSpec, operation: SpecOperation): string {
  const lines: string[] = [];
  lines.push(`**${operation.method} ${operation.pathTemplate}**${operation.summary ? ` — ${operation.summary}` : ''}${operation.deprecated ? ' *(deprecated)*' : ''}`);
  const source = [operation.operationId ? `\`${operation.operationId}\`` : '', spec.title ? `in ${spec.title}` : ''].filter((part) => part !== '').join(' ');
  if (source) lines.push('', source);
  if (operation.description) lines.push('', operation.description.length > 1500 ? `${operation.description.slice(0, 1500)}...` : operation.description);
  if (operation.parameters.length > 0) {
    lines.push('', '| Parameter | In | Type | |', '|---|---|---|---|');
    for (const parameter of operation.parameters) {
      lines.push(`| \`${parameter.name}\`${parameter.required ? ' *' : ''} | ${parameter.in} | ${cell(typeLabel(parameter.schema))} | ${cell(parameter.description ?? '').slice(0, 120)} |`);
    }
  }
  const body = operation.requestBody;
  if (body) {
    const types = Object.keys(body.content);
    lines.push('', `**Request body**${body.required ? ' (required)' : ''}: ${types.map((type) => `\`${type}\``).join(', ') || 'any'}`);
    const schema = types.map((type) => body.content[type]?.schema).find((candidate) => candidate !== undefined);
    const properties = propertiesOf(schema);
    if (properties.length > 0) {
      lines.push('');
      for (const property of properties.slice(0, 30)) {
        const description = describeSchema(property.schema);
        lines.push(`- \`${property.name}\`${property.required ? ' *' : ''}: ${typeLabel(property.schema)}${description ? ` — ${cell(description).slice(0, 100)}` : ''}`);
      }
      if (properties.length > 30) lines.push(`- ... and ${properties.length - 30} more`);
    }
  }
  const responses = Object.entries(operation.responses);
  if (responses.length > 0) {
    lines.push('', '**Responses**', '');
    for (const [status, response] of responses) {
      const types = Object.keys(response.content);
      lines.push(`- \`${status}\` ${cell(response.description)}${types.length > 0 ? ` (${types.join(', ')})` : ''}`);
    }
  }
  return lines.join('\n');
}
