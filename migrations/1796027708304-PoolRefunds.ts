import { MigrationInterface, QueryRunner } from 'typeorm';

export class PoolRefunds1796027708304 implements MigrationInterface {
  name = 'PoolRefunds1796027708304';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // TypeORM does not see a CHECK whose name stays: the ledger's kind check is rewritten by hand.
    await queryRunner.query(
      `ALTER TABLE "journal_entries" DROP CONSTRAINT "journal_entries_kind_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_kind_check" CHECK ("kind" IN ('DISBURSEMENT','SETTLEMENT','SURPLUS_PAYMENT','DILUTION','RECOVERY','WRITE_OFF','REPAYMENT','POOL_CONTRIBUTION','POOL_PAYOUT','POOL_REFUND','GUARANTEE_CLAIM','GUARANTEE_PAYMENT'))`,
    );
    await queryRunner.query(`
            ALTER TABLE "pool_claims"
            ADD "recovered_since" numeric(20, 4) NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims"
            ADD "returned" numeric(20, 4) NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims"
            ADD CONSTRAINT "pool_claims_returned_check" CHECK (
                    "recovered_since" >= 0
                    AND "returned" >= 0
                    AND "returned" <= COALESCE("payout", 0)
                )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "pool_claims" DROP CONSTRAINT "pool_claims_returned_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims" DROP COLUMN "returned"
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims" DROP COLUMN "recovered_since"
        `);
    // TypeORM does not see a CHECK whose name stays: the ledger's kind check is rewritten by hand.
    await queryRunner.query(
      `ALTER TABLE "journal_entries" DROP CONSTRAINT "journal_entries_kind_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_kind_check" CHECK ("kind" IN ('DISBURSEMENT','SETTLEMENT','SURPLUS_PAYMENT','DILUTION','RECOVERY','WRITE_OFF','REPAYMENT','POOL_CONTRIBUTION','POOL_PAYOUT','GUARANTEE_CLAIM','GUARANTEE_PAYMENT'))`,
    );
  }
}
