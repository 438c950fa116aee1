import { Injectable } from '@nestjs/common';
import { Decimal } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import { TransactionHost } from '../../database/transaction-host';
import {
  dilutionEntry,
  dilutionRepaymentEntry,
  disbursementEntry,
  recoveryEntry,
  repaymentEntry,
  settlementEntry,
  surplusPaymentEntry,
  writeOffEntry,
} from '../../ledger/financing-entries';
import { Ledger } from '../../ledger/ledger';
import type { Financing } from './financing.entity';

/**
 * The journal entries of a financing's money movements (docs/ledger.md), posted in the
 * transaction of the change that moves the money.
 */
@Injectable()
export class FinancingLedger {
  private platformId: string | null = null;

  constructor(
    private readonly tx: TransactionHost,
    private readonly ledger: Ledger,
  ) {}

  async disbursed(financing: Financing, disbursedOn: string): Promise<void> {
    const money = this.money(financing);
    await this.ledger.post(
      disbursementEntry({
        financingId: financing.id,
        currency: financing.currency.trim(),
        financierId: financing.financierId,
        supplierId: financing.supplierId,
        platformId: await this.platform(),
        advance: money(financing.advanceAmount),
        discount: money(financing.discountAmount),
        fee: money(financing.feeAmount),
        net: money(financing.netProceeds),
        disbursedOn,
        security: financing.pledgeId === null ? 'RECEIVABLES' : 'PLEDGE',
      }),
    );
  }

  async settled(
    financing: Financing,
    payment: { amount: string; toReceivable: string; toSurplus: string; paidOn: string },
  ): Promise<void> {
    const money = this.money(financing);
    // A pledge drawdown: the supplier itself pays back the loan.
    if (financing.anchorId === null) return this.repaid(financing, payment.amount, payment.paidOn);
    await this.ledger.post(
      settlementEntry({
        financingId: financing.id,
        currency: financing.currency.trim(),
        financierId: financing.financierId,
        supplierId: financing.supplierId,
        anchorId: financing.anchorId,
        amount: money(payment.amount),
        toReceivable: money(payment.toReceivable),
        toSurplus: money(payment.toSurplus),
        paidOn: payment.paidOn,
      }),
    );
  }

  async surplusPaid(financing: Financing, amount: string, paidOn: string): Promise<void> {
    await this.ledger.post(
      surplusPaymentEntry({
        financingId: financing.id,
        currency: financing.currency.trim(),
        financierId: financing.financierId,
        supplierId: financing.supplierId,
        amount: this.money(financing)(amount),
        paidOn,
      }),
    );
  }

  async dilutionRepaid(financing: Financing, amount: string, paidOn: string): Promise<void> {
    await this.ledger.post(
      dilutionRepaymentEntry({
        financingId: financing.id,
        currency: financing.currency.trim(),
        financierId: financing.financierId,
        supplierId: financing.supplierId,
        amount: this.money(financing)(amount),
        paidOn,
      }),
    );
  }

  async diluted(financing: Financing, shortfall: string, dilutedOn: string): Promise<void> {
    await this.ledger.post(
      dilutionEntry({
        financingId: financing.id,
        currency: financing.currency.trim(),
        financierId: financing.financierId,
        supplierId: financing.supplierId,
        shortfall: this.money(financing)(shortfall),
        dilutedOn,
      }),
    );
  }

  async recovered(financing: Financing, amount: string, receivedOn: string): Promise<void> {
    // Late or not, what a supplier pays on its own drawdown repays its loan.
    if (financing.pledgeId !== null) return this.repaid(financing, amount, receivedOn);
    await this.ledger.post(
      recoveryEntry({
        financingId: financing.id,
        currency: financing.currency.trim(),
        financierId: financing.financierId,
        supplierId: financing.supplierId,
        amount: this.money(financing)(amount),
        receivedOn,
      }),
    );
  }

  async writtenOff(financing: Financing, amount: string, writtenOffOn: string): Promise<void> {
    if (!new Decimal(amount).gt('0')) return;
    await this.ledger.post(
      writeOffEntry({
        financingId: financing.id,
        currency: financing.currency.trim(),
        financierId: financing.financierId,
        amount: this.money(financing)(amount),
        writtenOffOn,
      }),
    );
  }

  private async repaid(financing: Financing, amount: string, paidOn: string): Promise<void> {
    await this.ledger.post(
      repaymentEntry({
        financingId: financing.id,
        currency: financing.currency.trim(),
        financierId: financing.financierId,
        supplierId: financing.supplierId,
        amount: this.money(financing)(amount),
        paidOn,
      }),
    );
  }

  private money(financing: Financing): (stored: string) => string {
    return (stored) => formatMoney(stored, financing.currency.trim());
  }

  /** The platform operator's organisation, which earns the platform fee. */
  private async platform(): Promise<string> {
    if (this.platformId) return this.platformId;
    const [row] = (await this.tx.manager.query(
      `SELECT id FROM organizations WHERE kind = 'PLATFORM' ORDER BY created_at LIMIT 1`,
    )) as Array<{ id: string }>;
    if (!row) throw new Error('no PLATFORM organisation: the fee has no account to go to');
    this.platformId = row.id;
    return row.id;
  }
}
