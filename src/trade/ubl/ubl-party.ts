import type { UblParty, UblPartyIdentifier } from './ubl-document';
import type { XmlNode } from './xml-node';

/**
 * A UBL Party (cac:Party, PayeeParty, SenderParty, …). Every identifier is kept with where it was
 * found, because organisations are matched by whichever identifier they registered: an endpoint
 * GLN, a Swedish organisation number as legal id, a VAT number.
 */
export function readParty(party: XmlNode): UblParty {
  const identifiers: UblPartyIdentifier[] = [];
  const add = (
    source: UblPartyIdentifier['source'],
    node: XmlNode | null,
    taxScheme?: string | null,
  ): void => {
    const value = node?.text;
    if (!node || !value) return;
    const identifier: UblPartyIdentifier = { source, scheme: node.attribute('schemeID'), value };
    if (source === 'TAX') identifier.taxScheme = taxScheme ?? null;
    identifiers.push(identifier);
  };

  const endpointNode = party.find('cbc:EndpointID');
  add('ENDPOINT', endpointNode);
  for (const identification of party.children('cac:PartyIdentification')) {
    add('PARTY_ID', identification.find('cbc:ID'));
  }
  for (const legal of party.children('cac:PartyLegalEntity')) {
    add('LEGAL', legal.find('cbc:CompanyID'));
  }
  for (const tax of party.children('cac:PartyTaxScheme')) {
    add('TAX', tax.find('cbc:CompanyID'), tax.textAt('cac:TaxScheme/cbc:ID'));
  }

  const legalName = party.textAt('cac:PartyLegalEntity/cbc:RegistrationName');
  const endpoint = endpointNode?.text
    ? { scheme: endpointNode.attribute('schemeID'), value: endpointNode.text }
    : null;
  return {
    name: party.textAt('cac:PartyName/cbc:Name') ?? legalName,
    legalName,
    endpoint,
    identifiers,
    countryCode: party.textAt('cac:PostalAddress/cac:Country/cbc:IdentificationCode'),
  };
}

/**
 * True when two parties share an identifier (same scheme and value; a VAT number only with a VAT
 * number). A PayeeParty that shares none with the seller is a different payee: the receivable was
 * probably assigned to a factor already.
 */
export function sameParty(a: UblParty, b: UblParty): boolean {
  const keys = new Set(a.identifiers.filter(isIdentifying).map(identifierKey));
  return b.identifiers.filter(isIdentifying).some((id) => keys.has(identifierKey(id)));
}

function isIdentifying(id: UblPartyIdentifier): boolean {
  return id.source !== 'TAX' || id.taxScheme === 'VAT';
}

function identifierKey(id: UblPartyIdentifier): string {
  const kind = id.source === 'TAX' ? 'VAT' : (id.scheme ?? '');
  return `${kind}\u0000${id.value}`;
}
