import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';
import { CreditNote } from './credit-note.entity';

@Injectable()
export class CreditNotesRepository {
  constructor(private readonly tx: TransactionHost) {}

  findByNumber(invoiceId: string, number: string): Promise<CreditNote | null> {
    return this.tx.manager.findOne(CreditNote, { where: { invoiceId, number } });
  }

  async insert(note: Omit<CreditNote, 'id' | 'createdAt' | 'invoice'>): Promise<void> {
    await this.tx.manager.insert(CreditNote, note);
  }

  async agree(id: string): Promise<void> {
    await this.tx.manager.update(CreditNote, { id }, { status: 'AGREED', agreedAt: () => 'now()' });
  }
}
