import { Injectable } from '@nestjs/common';
import type { OrganizationKind } from '../../common/auth/roles';
import { TransactionHost } from '../../database/transaction-host';

export interface TradeParty {
  id: string;
  kind: OrganizationKind;
  name: string;
  registrationId: string | null;
}

/**
 * Finds the counterparties named in trade documents: by portal id, by registration id (what an
 * ERP knows its suppliers by), or by any ISO 6523 identifier an organisation registered (what a
 * UBL e-invoice carries). A counterparty is not "visible" to the caller in the tenancy sense:
 * naming it in a document is how a trade relationship starts, and only its id comes back.
 */
@Injectable()
export class TradeParties {
  constructor(private readonly tx: TransactionHost) {}

  async byIds(ids: readonly string[]): Promise<Map<string, TradeParty>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.tx.manager.query(
      `SELECT id, kind, name, registration_id FROM organizations WHERE id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    )) as Array<{
      id: string;
      kind: OrganizationKind;
      name: string;
      registration_id: string | null;
    }>;
    return new Map(
      rows.map((row) => [
        row.id,
        { id: row.id, kind: row.kind, name: row.name, registrationId: row.registration_id },
      ]),
    );
  }

  async byRegistrationIds(registrationIds: readonly string[]): Promise<Map<string, TradeParty>> {
    if (registrationIds.length === 0) return new Map();
    const rows = (await this.tx.manager.query(
      `SELECT id, kind, name, registration_id FROM organizations WHERE registration_id = ANY($1::varchar[])`,
      [[...new Set(registrationIds.map((value) => value.trim().toUpperCase()))]],
    )) as Array<{ id: string; kind: OrganizationKind; name: string; registration_id: string }>;
    return new Map(
      rows.map((row) => [
        row.registration_id,
        { id: row.id, kind: row.kind, name: row.name, registrationId: row.registration_id },
      ]),
    );
  }

  /**
   * The organisation one of `identifiers` names: a registered (scheme, value) pair, or a
   * registration id given with or without a scheme. Null when none, or when they disagree.
   */
  async byIdentifiers(
    identifiers: ReadonlyArray<{ scheme: string | null; value: string }>,
  ): Promise<TradeParty | null> {
    const values = identifiers
      .map((identifier) => identifier.value.trim())
      .filter((value) => value.length > 0);
    if (values.length === 0) return null;
    const rows = (await this.tx.manager.query(
      `SELECT DISTINCT o.id, o.kind, o.name, o.registration_id
         FROM organizations o
         LEFT JOIN organization_identifiers i ON i.organization_id = o.id
        WHERE o.registration_id = ANY($1::varchar[])
           OR (i.scheme, i.value) IN (SELECT * FROM unnest($2::varchar[], $3::varchar[]))`,
      [
        values.map((value) => value.toUpperCase()),
        identifiers.map((identifier) => identifier.scheme ?? ''),
        identifiers.map((identifier) => identifier.value.trim()),
      ],
    )) as Array<{
      id: string;
      kind: OrganizationKind;
      name: string;
      registration_id: string | null;
    }>;
    if (rows.length !== 1) return null;
    const [row] = rows;
    return { id: row.id, kind: row.kind, name: row.name, registrationId: row.registration_id };
  }
}
