import { escapeXml } from '../../common/xml/xml-text';

/**
 * A minimal XML writer for the ISO 20022 messages the portal produces: elements, attributes and
 * text, indented two spaces, UTF-8. Text and attribute values are escaped here, so callers pass
 * plain strings; nothing is ever interpolated into markup unescaped.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly text?: string;
  readonly children?: readonly XmlElement[];
}

/** `null`, `undefined` and `false` children are skipped, so optional parts read as `cond && el(...)`. */
export type XmlChild = XmlElement | null | undefined | false;

/** An element holding text. */
export function leaf(
  name: string,
  text: string,
  attributes?: Readonly<Record<string, string>>,
): XmlElement {
  return { name, text, attributes };
}

/** An element holding other elements (absent ones skipped). */
export function node(name: string, ...children: XmlChild[]): XmlElement {
  return { name, children: children.filter((child): child is XmlElement => !!child) };
}

/** The document: an XML declaration and the root, ending with a newline. */
export function renderXmlDocument(root: XmlElement): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  render(root, 0, lines);
  return `${lines.join('\n')}\n`;
}

function render(element: XmlElement, depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  const attributes = Object.entries(element.attributes ?? {})
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
  if (element.text !== undefined) {
    lines.push(
      `${indent}<${element.name}${attributes}>${escapeXml(element.text)}</${element.name}>`,
    );
  } else if (!element.children || element.children.length === 0) {
    lines.push(`${indent}<${element.name}${attributes}/>`);
  } else {
    lines.push(`${indent}<${element.name}${attributes}>`);
    for (const child of element.children) render(child, depth + 1, lines);
    lines.push(`${indent}</${element.name}>`);
  }
}
