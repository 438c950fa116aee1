import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { OrganizationKind } from '../../common/auth/roles';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { Decimal } from '../../common/money/decimal';
import { roundMoney } from '../../common/money/money';
import { TransactionHost } from '../../database/transaction-host';
import { CreditNotesService } from '../credit-notes/credit-notes.service';
import { TradeParties, type TradeParty } from '../parties/trade-parties';
import { totalsDiscrepancies } from '../ubl/ubl-amounts';
import type { UblBillingDocument, UblParty } from '../ubl/ubl-document';
import { readUblBillingDocument } from '../ubl/ubl-intake';
import { sameParty } from '../ubl/ubl-party';
import type { AssignedPayee, Invoice } from './invoice.entity';
import { InvoicesService } from './invoices.service';

/**
 * POST /invoices/ubl: a UBL 2.1 / Peppol BIS Billing 3.0 document, checked against the official
 * schema and its own totals. Seller and buyer are found by the identifiers organisations
 * registered; an Invoice becomes an invoice (its PayeeParty, when not the seller, marks it as
 * already assigned), a CreditNote or a negative invoice becomes dilution on the invoice it
 * references.
 */
@Injectable()
export class UblInvoices {
  constructor(
    private readonly tx: TransactionHost,
    private readonly parties: TradeParties,
    private readonly invoices: InvoicesService,
    private readonly creditNotes: CreditNotesService,
  ) {}

  async submit(actor: Actor, body: unknown, programId: string | undefined): Promise<Invoice> {
    const document = await readUblBillingDocument(body);
    const discrepancies = totalsDiscrepancies(document);
    if (discrepancies.length > 0) {
      throw new DomainError(
        ErrorCode.VALIDATION_FAILED,
        'The document’s totals do not add up (EN 16931 calculation rules).',
        {
          errors: discrepancies.map((discrepancy) => ({
            field: discrepancy.rule,
            code: 'TOTALS_INCONSISTENT',
            message: discrepancy.message,
          })),
        },
      );
    }
    return this.tx.run(async () => {
      await this.party(
        document.seller,
        'seller',
        (found) => found.id === actor.organizationId,
        'is not the sending supplier',
      );
      const anchor = await this.party(
        document.buyer,
        'buyer',
        (found) => found.kind === OrganizationKind.ANCHOR,
        'is not an anchor on the platform',
      );
      if (document.kind === 'CREDIT_NOTE' || document.negative)
        return this.dilute(actor, anchor, document);
      return this.invoice(actor, anchor, document, programId);
    });
  }

  private async invoice(
    actor: Actor,
    anchor: TradeParty,
    document: UblBillingDocument,
    programId: string | undefined,
  ): Promise<Invoice> {
    if (!document.dueDate) {
      throw field(
        'dueDate',
        'MISSING_DUE_DATE',
        'The e-invoice names no due date (cbc:DueDate or PaymentMeans/PaymentDueDate): a receivable without one cannot be financed.',
      );
    }
    const totalAmount = exact(document.totals.payable, document.currency, 'totals.payable');
    if (new Decimal(totalAmount).lte('0'))
      throw field('totals.payable', 'NOTHING_PAYABLE', 'The e-invoice leaves nothing payable.');
    const tax =
      document.taxTotal === null ? '0' : exact(document.taxTotal, document.currency, 'taxTotal');
    const program = programId ?? (await this.onlyProgram(actor, anchor, document.currency));
    const payee =
      document.payee && !sameParty(document.payee, document.seller)
        ? assignedPayee(document.payee)
        : null;
    return this.invoices.submit(
      actor,
      {
        number: document.number,
        anchorId: anchor.id,
        programId: program,
        purchaseOrderNumber: document.orderReference ?? undefined,
        issueDate: document.issueDate,
        dueDate: document.dueDate,
        currency: document.currency,
        totalAmount,
        // Tax is informational here; after a prepayment it can exceed what is still payable.
        taxAmount: new Decimal(tax).gt(totalAmount) ? totalAmount : tax,
        lines: document.lines.map((line) => ({
          sku: line.sellersItemId ?? line.buyersItemId ?? undefined,
          description: line.itemName?.slice(0, 500) ?? undefined,
          quantity: new Decimal(line.quantity).abs().toString(),
          unitPrice:
            line.unitPrice === null ? undefined : new Decimal(line.unitPrice).abs().toString(),
          amount: line.lineAmount,
        })),
      },
      'UBL',
      { payee },
    );
  }

  private async dilute(
    actor: Actor,
    anchor: TradeParty,
    document: UblBillingDocument,
  ): Promise<Invoice> {
    const [row] = (await this.tx.manager.query(
      `SELECT id, number, currency FROM invoices
        WHERE supplier_id = $1 AND anchor_id = $2 AND number = ANY($3::varchar[])
        ORDER BY submission_seq LIMIT 1`,
      [actor.organizationId, anchor.id, document.billingReferences],
    )) as Array<{ id: string; number: string; currency: string }>;
    if (!row) {
      throw field(
        'billingReference',
        'INVOICE_NOT_FOUND',
        document.billingReferences.length === 0
          ? 'The credit names no invoice (BillingReference): it cannot be applied.'
          : `The credited invoice ${document.billingReferences.join(', ')} is not on the platform.`,
      );
    }
    if (row.currency.trim() !== document.currency) {
      throw field(
        'currency',
        'CURRENCY_MISMATCH',
        `The credit is in ${document.currency}; invoice ${row.number} is in ${row.currency.trim()}.`,
      );
    }
    const amount = exact(
      new Decimal(document.totals.taxInclusive).abs().toString(),
      document.currency,
      'totals.taxInclusive',
    );
    return this.creditNotes.raise(
      actor,
      row.id,
      {
        number: document.number,
        amount,
        reason: `UBL ${document.kind === 'CREDIT_NOTE' ? 'credit note' : 'negative invoice'} ${document.number} of ${document.issueDate}`,
      },
      'UBL',
    );
  }

  private async party(
    party: UblParty,
    role: 'seller' | 'buyer',
    accept: (found: TradeParty) => boolean,
    otherwise: string,
  ): Promise<TradeParty> {
    const identifiers = party.identifiers.filter(
      (identifier) => identifier.source !== 'TAX' || identifier.taxScheme === 'VAT',
    );
    const found = await this.parties.byIdentifiers(identifiers);
    if (!found || !accept(found)) {
      const named = identifiers
        .map((identifier) => `${identifier.scheme ?? '-'}:${identifier.value}`)
        .join(', ');
      throw new DomainError(
        ErrorCode.UNKNOWN_PARTY,
        found
          ? `The ${role} ${party.name ?? ''} (${named}) ${otherwise}.`
          : `No organisation has registered any identifier of the ${role} ${party.name ?? ''} (${named}); register one with POST /organizations/:id/identifiers.`,
        {
          errors: [
            {
              field: role,
              code: 'UNKNOWN_PARTY',
              message: `${role} ${found ? otherwise : 'is not known on the platform'}`,
            },
          ],
        },
      );
    }
    return found;
  }

  /** The one active program of this anchor, in this currency, that the supplier belongs to. */
  private async onlyProgram(actor: Actor, anchor: TradeParty, currency: string): Promise<string> {
    const rows = (await this.tx.manager.query(
      `SELECT p.id FROM programs p JOIN program_suppliers ps ON ps.program_id = p.id AND ps.supplier_id = $1
        WHERE p.anchor_id = $2 AND p.currency = $3 AND p.active`,
      [actor.organizationId, anchor.id, currency],
    )) as Array<{ id: string }>;
    if (rows.length !== 1) {
      throw field(
        'programId',
        rows.length === 0 ? 'PROGRAM_NOT_FOUND' : 'PROGRAM_AMBIGUOUS',
        rows.length === 0
          ? `The anchor has no active ${currency} program with this supplier.`
          : `The anchor has ${rows.length} active ${currency} programs with this supplier; name one with ?programId=.`,
      );
    }
    return rows[0].id;
  }
}

/** The amount at the currency's scale; one that needs rounding is refused, never rounded silently. */
function exact(amount: string, currency: string, path: string): string {
  const normalised = new Decimal(amount.startsWith('+') ? amount.slice(1) : amount);
  const rounded = roundMoney(normalised, currency);
  if (!new Decimal(rounded).eq(normalised))
    throw field(
      path,
      'IS_DECIMAL_STRING',
      `${path} ${amount} has more decimals than ${currency} allows`,
    );
  return rounded;
}

function assignedPayee(payee: UblParty): AssignedPayee {
  return {
    name: payee.name,
    identifiers: payee.identifiers.map(({ scheme, value }) => ({ scheme, value })),
  };
}

function field(name: string, code: string, message: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, {
    errors: [{ field: name, code, message }],
  });
}
