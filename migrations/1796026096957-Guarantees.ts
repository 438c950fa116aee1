import { MigrationInterface, QueryRunner } from 'typeorm';

export class Guarantees1796026096957 implements MigrationInterface {
  name = 'Guarantees1796026096957';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // TypeORM does not see a CHECK whose name stays: the ledger's enum checks are rewritten by hand.
    await queryRunner.query(
      `ALTER TABLE "ledger_postings" DROP CONSTRAINT "ledger_postings_account_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_account_check" CHECK ("account" IN ('CASH','FINANCING_RECEIVABLE','DISCOUNT_INCOME','SURPLUS_PAYABLE','DILUTION_RECEIVABLE','CREDIT_LOSS','FINANCING_COST','RECEIVABLES_ASSIGNED','SURPLUS_RECEIVABLE','DILUTION_PAYABLE','RECOURSE_PAID','PLEDGE_LOAN_PAYABLE','INVOICES_PAID','FEE_INCOME','RISK_POOL_FUND','POOL_CONTRIBUTIONS','POOL_RECOVERY','GUARANTEE_RECEIVABLE','GUARANTEE_RECOVERY','GUARANTEE_EXPENSE','GUARANTEE_PAYABLE'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" DROP CONSTRAINT "journal_entries_kind_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_kind_check" CHECK ("kind" IN ('DISBURSEMENT','SETTLEMENT','SURPLUS_PAYMENT','DILUTION','RECOVERY','WRITE_OFF','REPAYMENT','POOL_CONTRIBUTION','POOL_PAYOUT','GUARANTEE_CLAIM','GUARANTEE_PAYMENT'))`,
    );
    await queryRunner.query(`
            CREATE TABLE "program_guarantees" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "program_id" uuid NOT NULL,
                "guarantor_id" uuid NOT NULL,
                "financier_id" uuid,
                "currency" character(3) NOT NULL,
                "coverage_ratio" numeric(5, 4) NOT NULL,
                "cap_amount" numeric(20, 4) NOT NULL,
                "valid_from" date NOT NULL,
                "valid_to" date NOT NULL,
                "status" character varying(10) NOT NULL,
                "proposed_by" uuid,
                "accepted_by" uuid,
                "accepted_at" TIMESTAMP(3) WITH TIME ZONE,
                "withdrawn_at" TIMESTAMP(3) WITH TIME ZONE,
                "withdrawal_reason" character varying(500),
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "program_guarantees_terms_check" CHECK (
                    "coverage_ratio" > 0
                    AND "coverage_ratio" <= 1
                    AND "cap_amount" > 0
                    AND "valid_to" >= "valid_from"
                ),
                CONSTRAINT "program_guarantees_status_check" CHECK ("status" IN ('PROPOSED', 'ACTIVE', 'WITHDRAWN')),
                CONSTRAINT "PK_d89794637235b2d1e84806bdfa4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "program_guarantees_guarantor_idx" ON "program_guarantees" ("guarantor_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "program_guarantees_program_idx" ON "program_guarantees" ("program_id", "status")
        `);
    await queryRunner.query(`
            CREATE TABLE "financing_guarantees" (
                "financing_id" uuid NOT NULL,
                "guarantee_id" uuid NOT NULL,
                "covered_amount" numeric(20, 4) NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "financing_guarantees_amount_check" CHECK ("covered_amount" > 0),
                CONSTRAINT "PK_1dad201bd3931d49cccacc2079e" PRIMARY KEY ("financing_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "financing_guarantees_guarantee_idx" ON "financing_guarantees" ("guarantee_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "guarantee_claims" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "guarantee_id" uuid NOT NULL,
                "financing_id" uuid NOT NULL,
                "financier_id" uuid NOT NULL,
                "guarantor_id" uuid NOT NULL,
                "status" character varying(8) NOT NULL,
                "loss" numeric(20, 4) NOT NULL,
                "amount" numeric(20, 4) NOT NULL,
                "paid_at" TIMESTAMP(3) WITH TIME ZONE,
                "bank_reference" character varying(100),
                "recorded_by" uuid,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "guarantee_claims_paid_check" CHECK (
                    ("status" = 'PAID') = (
                        "paid_at" IS NOT NULL
                        AND "bank_reference" IS NOT NULL
                    )
                ),
                CONSTRAINT "guarantee_claims_figures_check" CHECK (
                    "loss" > 0
                    AND "amount" > 0
                    AND "amount" <= "loss"
                ),
                CONSTRAINT "guarantee_claims_status_check" CHECK ("status" IN ('CLAIMED', 'PAID')),
                CONSTRAINT "PK_84abb9e309fb6ac575527a96fa0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "guarantee_claims_guarantee_idx" ON "guarantee_claims" ("guarantee_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "guarantee_claims_financing_key" ON "guarantee_claims" ("financing_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "offers"
            ADD "guarantee_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "offers"
            ADD "guarantee" jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "offers"
            ADD CONSTRAINT "offers_guarantee_check" CHECK (("guarantee_id" IS NULL) = ("guarantee" IS NULL))
        `);
    await queryRunner.query(`
            ALTER TABLE "program_guarantees"
            ADD CONSTRAINT "FK_cb49ff31f179db39275296d685e" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "program_guarantees"
            ADD CONSTRAINT "FK_5022668924237f3cfba9a8ebf43" FOREIGN KEY ("guarantor_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "program_guarantees"
            ADD CONSTRAINT "FK_ffc8bf8284efcbb78c95d735387" FOREIGN KEY ("financier_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_guarantees"
            ADD CONSTRAINT "FK_1dad201bd3931d49cccacc2079e" FOREIGN KEY ("financing_id") REFERENCES "financings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_guarantees"
            ADD CONSTRAINT "FK_109c214c77d5102d1c6472a2b4f" FOREIGN KEY ("guarantee_id") REFERENCES "program_guarantees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "guarantee_claims"
            ADD CONSTRAINT "FK_c9f67aeb6a92ea2cc42ce21d489" FOREIGN KEY ("guarantee_id") REFERENCES "program_guarantees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "guarantee_claims"
            ADD CONSTRAINT "FK_0e6e0a7d75469305e8526291cfe" FOREIGN KEY ("financing_id") REFERENCES "financings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "offers"
            ADD CONSTRAINT "FK_b47294d837bd04a85e35b494b12" FOREIGN KEY ("guarantee_id") REFERENCES "program_guarantees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "offers" DROP CONSTRAINT "FK_b47294d837bd04a85e35b494b12"
        `);
    await queryRunner.query(`
            ALTER TABLE "guarantee_claims" DROP CONSTRAINT "FK_0e6e0a7d75469305e8526291cfe"
        `);
    await queryRunner.query(`
            ALTER TABLE "guarantee_claims" DROP CONSTRAINT "FK_c9f67aeb6a92ea2cc42ce21d489"
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_guarantees" DROP CONSTRAINT "FK_109c214c77d5102d1c6472a2b4f"
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_guarantees" DROP CONSTRAINT "FK_1dad201bd3931d49cccacc2079e"
        `);
    await queryRunner.query(`
            ALTER TABLE "program_guarantees" DROP CONSTRAINT "FK_ffc8bf8284efcbb78c95d735387"
        `);
    await queryRunner.query(`
            ALTER TABLE "program_guarantees" DROP CONSTRAINT "FK_5022668924237f3cfba9a8ebf43"
        `);
    await queryRunner.query(`
            ALTER TABLE "program_guarantees" DROP CONSTRAINT "FK_cb49ff31f179db39275296d685e"
        `);
    await queryRunner.query(`
            ALTER TABLE "offers" DROP CONSTRAINT "offers_guarantee_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "offers" DROP COLUMN "guarantee"
        `);
    await queryRunner.query(`
            ALTER TABLE "offers" DROP COLUMN "guarantee_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."guarantee_claims_financing_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."guarantee_claims_guarantee_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "guarantee_claims"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financing_guarantees_guarantee_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "financing_guarantees"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."program_guarantees_program_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."program_guarantees_guarantor_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "program_guarantees"
        `);
    // TypeORM does not see a CHECK whose name stays: the ledger's enum checks are rewritten by hand.
    await queryRunner.query(
      `ALTER TABLE "ledger_postings" DROP CONSTRAINT "ledger_postings_account_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_account_check" CHECK ("account" IN ('CASH','FINANCING_RECEIVABLE','DISCOUNT_INCOME','SURPLUS_PAYABLE','DILUTION_RECEIVABLE','CREDIT_LOSS','FINANCING_COST','RECEIVABLES_ASSIGNED','SURPLUS_RECEIVABLE','DILUTION_PAYABLE','RECOURSE_PAID','PLEDGE_LOAN_PAYABLE','INVOICES_PAID','FEE_INCOME','RISK_POOL_FUND','POOL_CONTRIBUTIONS','POOL_RECOVERY'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" DROP CONSTRAINT "journal_entries_kind_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_kind_check" CHECK ("kind" IN ('DISBURSEMENT','SETTLEMENT','SURPLUS_PAYMENT','DILUTION','RECOVERY','WRITE_OFF','REPAYMENT','POOL_CONTRIBUTION','POOL_PAYOUT'))`,
    );
  }
}
