import type { XmlRoot } from './xml-root';

const UBL = 'urn:oasis:names:specification:ubl:schema:xsd';

/** The UBL 2.1 documents this layer reads, by root element name. */
export type UblDocumentType = 'Invoice' | 'CreditNote' | 'ApplicationResponse';

/** Namespace of each document's root element: a root of the same name elsewhere is not UBL. */
export const UBL_DOCUMENT_NAMESPACES: Readonly<Record<UblDocumentType, string>> = {
  Invoice: `${UBL}:Invoice-2`,
  CreditNote: `${UBL}:CreditNote-2`,
  ApplicationResponse: `${UBL}:ApplicationResponse-2`,
};

/** The usual prefixes of UBL namespaces, to make xmllint's `{namespace}Name` messages readable. */
export const UBL_PREFIXES: ReadonlyArray<readonly [namespace: string, prefix: string]> = [
  [`${UBL}:CommonAggregateComponents-2`, 'cac:'],
  [`${UBL}:CommonBasicComponents-2`, 'cbc:'],
  [`${UBL}:CommonExtensionComponents-2`, 'ext:'],
  ...Object.values(UBL_DOCUMENT_NAMESPACES).map((ns) => [ns, ''] as const),
];

/** Which UBL document a root element is, or null when its name or namespace is not one of ours. */
export function ublDocumentType(root: XmlRoot): UblDocumentType | null {
  for (const [type, namespace] of Object.entries(UBL_DOCUMENT_NAMESPACES)) {
    if (root.localName === type && root.namespace === namespace) return type as UblDocumentType;
  }
  return null;
}
