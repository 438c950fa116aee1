import { MigrationInterface, QueryRunner } from 'typeorm';

export class DilutionRepayments1796028464902 implements MigrationInterface {
  name = 'DilutionRepayments1796028464902';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // TypeORM does not see a CHECK whose name stays: the ledger's kind check is rewritten by hand.
    await queryRunner.query(
      `ALTER TABLE "journal_entries" DROP CONSTRAINT "journal_entries_kind_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_kind_check" CHECK ("kind" IN ('DISBURSEMENT','SETTLEMENT','SURPLUS_PAYMENT','DILUTION','DILUTION_REPAYMENT','RECOVERY','WRITE_OFF','REPAYMENT','POOL_CONTRIBUTION','POOL_PAYOUT','POOL_REFUND','GUARANTEE_CLAIM','GUARANTEE_PAYMENT'))`,
    );
    await queryRunner.query(`
            CREATE TABLE "dilution_repayments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "financing_id" uuid NOT NULL,
                "amount" numeric(20, 4) NOT NULL,
                "paid_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "bank_reference" character varying(64) NOT NULL,
                "recorded_by" uuid,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "dilution_repayments_amount_check" CHECK ("amount" > 0),
                CONSTRAINT "PK_c98202573b290317b4768e1bf81" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "dilution_repayments_financing_idx" ON "dilution_repayments" ("financing_id", "paid_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD "diluted_amount" numeric(20, 4) NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD "dilution_repaid_amount" numeric(20, 4) NOT NULL DEFAULT '0'
        `);
    // Financings diluted before this column existed: their shortfalls are on the ledger.
    await queryRunner.query(`
            UPDATE "financings" f SET "diluted_amount" = d.total
              FROM (SELECT e.financing_id, sum(p.amount) AS total
                      FROM "journal_entries" e JOIN "ledger_postings" p ON p.entry_id = e.id
                     WHERE e.kind = 'DILUTION' AND p.account = 'DILUTION_RECEIVABLE'
                     GROUP BY e.financing_id) d
             WHERE d.financing_id = f.id
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD CONSTRAINT "financings_dilution_repaid_check" CHECK (
                    "diluted_amount" >= 0
                    AND "dilution_repaid_amount" >= 0
                    AND "dilution_repaid_amount" <= "diluted_amount"
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "dilution_repayments"
            ADD CONSTRAINT "FK_fcadacd20f32cc7d38a12b3928f" FOREIGN KEY ("financing_id") REFERENCES "financings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "dilution_repayments" DROP CONSTRAINT "FK_fcadacd20f32cc7d38a12b3928f"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "financings_dilution_repaid_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP COLUMN "dilution_repaid_amount"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP COLUMN "diluted_amount"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."dilution_repayments_financing_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "dilution_repayments"
        `);
    // TypeORM does not see a CHECK whose name stays: the ledger's kind check is rewritten by hand.
    await queryRunner.query(
      `ALTER TABLE "journal_entries" DROP CONSTRAINT "journal_entries_kind_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_kind_check" CHECK ("kind" IN ('DISBURSEMENT','SETTLEMENT','SURPLUS_PAYMENT','DILUTION','RECOVERY','WRITE_OFF','REPAYMENT','POOL_CONTRIBUTION','POOL_PAYOUT','POOL_REFUND','GUARANTEE_CLAIM','GUARANTEE_PAYMENT'))`,
    );
  }
}
