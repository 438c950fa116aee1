import { MigrationInterface, QueryRunner } from 'typeorm';

export class RiskPools1796021052830 implements MigrationInterface {
  name = 'RiskPools1796021052830';

  public async up(queryRunner: QueryRunner): Promise<void> {
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
    await queryRunner.query(`
            CREATE TABLE "risk_pools" (
                "program_id" uuid NOT NULL,
                "currency" character(3) NOT NULL,
                "coverage_ratio" numeric(5, 4) NOT NULL,
                "cap_per_loss" numeric(20, 4) NOT NULL,
                "claim_after_overdue_days" integer,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "risk_pools_overdue_days_check" CHECK (
                    "claim_after_overdue_days" IS NULL
                    OR "claim_after_overdue_days" >= 1
                ),
                CONSTRAINT "risk_pools_terms_check" CHECK (
                    "coverage_ratio" > 0
                    AND "coverage_ratio" <= 1
                    AND "cap_per_loss" > 0
                ),
                CONSTRAINT "PK_7ef4a44a06c75834f9ea7a2ba8d" PRIMARY KEY ("program_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "pool_contributions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "program_id" uuid NOT NULL,
                "contributor_id" uuid NOT NULL,
                "amount" numeric(20, 4) NOT NULL,
                "recorded_by" uuid,
                "contributed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pool_contributions_amount_check" CHECK ("amount" > 0),
                CONSTRAINT "PK_af89cba18deed0c1056669984c0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "pool_contributions_program_idx" ON "pool_contributions" ("program_id", "contributed_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "pool_claims" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "program_id" uuid NOT NULL,
                "financing_id" uuid NOT NULL,
                "financier_id" uuid NOT NULL,
                "status" character varying(10) NOT NULL,
                "basis" character varying(16) NOT NULL,
                "loss" numeric(20, 4) NOT NULL,
                "payout" numeric(20, 4),
                "bound_by" character varying(8),
                "requested_by" uuid,
                "approved_by" uuid,
                "approved_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pool_claims_maker_checker_check" CHECK (
                    "approved_by" IS NULL
                    OR "approved_by" <> "requested_by"
                ),
                CONSTRAINT "pool_claims_figures_check" CHECK (
                    "loss" > 0
                    AND (
                        "payout" IS NULL
                        OR "payout" >= 0
                    )
                ),
                CONSTRAINT "pool_claims_status_check" CHECK ("status" IN ('REQUESTED', 'APPROVED')),
                CONSTRAINT "PK_521786ea7f0ec21d8d6a7c58070" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "pool_claims_program_idx" ON "pool_claims" ("program_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "pool_claims_financing_key" ON "pool_claims" ("financing_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "risk_pools"
            ADD CONSTRAINT "FK_7ef4a44a06c75834f9ea7a2ba8d" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_contributions"
            ADD CONSTRAINT "FK_e063f3a0a85980a919cd085030d" FOREIGN KEY ("program_id") REFERENCES "risk_pools"("program_id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_contributions"
            ADD CONSTRAINT "FK_f0f01665324347e4a69ad306c51" FOREIGN KEY ("contributor_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims"
            ADD CONSTRAINT "FK_a016a215046532a49df2488cf79" FOREIGN KEY ("program_id") REFERENCES "risk_pools"("program_id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims"
            ADD CONSTRAINT "FK_a8269084404ca19808440bd9ea0" FOREIGN KEY ("financing_id") REFERENCES "financings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "pool_claims" DROP CONSTRAINT "FK_a8269084404ca19808440bd9ea0"
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims" DROP CONSTRAINT "FK_a016a215046532a49df2488cf79"
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_contributions" DROP CONSTRAINT "FK_f0f01665324347e4a69ad306c51"
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_contributions" DROP CONSTRAINT "FK_e063f3a0a85980a919cd085030d"
        `);
    await queryRunner.query(`
            ALTER TABLE "risk_pools" DROP CONSTRAINT "FK_7ef4a44a06c75834f9ea7a2ba8d"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pool_claims_financing_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pool_claims_program_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "pool_claims"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pool_contributions_program_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "pool_contributions"
        `);
    await queryRunner.query(`
            DROP TABLE "risk_pools"
        `);
    await queryRunner.query(
      `ALTER TABLE "ledger_postings" DROP CONSTRAINT "ledger_postings_account_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_account_check" CHECK ("account" IN ('CASH','FINANCING_RECEIVABLE','DISCOUNT_INCOME','SURPLUS_PAYABLE','DILUTION_RECEIVABLE','CREDIT_LOSS','FINANCING_COST','RECEIVABLES_ASSIGNED','SURPLUS_RECEIVABLE','DILUTION_PAYABLE','RECOURSE_PAID','PLEDGE_LOAN_PAYABLE','INVOICES_PAID','FEE_INCOME'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" DROP CONSTRAINT "journal_entries_kind_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_kind_check" CHECK ("kind" IN ('DISBURSEMENT','SETTLEMENT','SURPLUS_PAYMENT','DILUTION','RECOVERY','WRITE_OFF','REPAYMENT'))`,
    );
  }
}
