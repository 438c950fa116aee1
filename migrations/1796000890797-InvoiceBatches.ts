import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invoices remember the bulk upload that brought them; batch audit events (verification of many
 * invoices at once) are found by the invoices they name, through a GIN index written by hand.
 */

export class InvoiceBatches1796000890797 implements MigrationInterface {
  name = 'InvoiceBatches1796000890797';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "invoices"
            ADD "batch_id" uuid
        `);
    await queryRunner.query(`
            CREATE INDEX "invoices_batch_id_idx" ON "invoices" ("batch_id")
        `);
    // --- by hand: TypeORM cannot express an expression index (the entity marks it synchronize: false)
    await queryRunner.query(`
            CREATE INDEX "audit_events_invoice_ids_idx" ON "audit_events"
            USING gin ((data -> 'invoiceIds') jsonb_path_ops)
            WHERE data ? 'invoiceIds'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."audit_events_invoice_ids_idx"`);
    await queryRunner.query(`
            DROP INDEX "public"."invoices_batch_id_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "invoices" DROP COLUMN "batch_id"
        `);
  }
}
