import { MigrationInterface, QueryRunner } from 'typeorm';

export class Pledges1796017942558 implements MigrationInterface {
  name = 'Pledges1796017942558';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE "pledge_reference_seq"`);
    // TypeORM does not see a CHECK whose name stays: the ledger's enum checks are rewritten by hand.
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
    await queryRunner.query(`
            CREATE TABLE "pledge_attempts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "warehouse_registration_id" character varying(64) NOT NULL,
                "receipt_number" character varying(64) NOT NULL,
                "supplier_id" uuid NOT NULL,
                "financier_id" uuid NOT NULL,
                "existing_pledge_id" uuid NOT NULL,
                "attempted_by" uuid,
                "attempted_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a7fd4e8263cf217ddc3204ced53" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "pledge_attempts_supplier_idx" ON "pledge_attempts" ("supplier_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "pledge_attempts_receipt_idx" ON "pledge_attempts" (
                "warehouse_registration_id",
                "receipt_number",
                "attempted_at"
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "pledges" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "reference" character varying(24) NOT NULL,
                "status" character varying(20) NOT NULL,
                "supplier_id" uuid NOT NULL,
                "financier_id" uuid NOT NULL,
                "program_id" uuid,
                "currency" character(3) NOT NULL,
                "warehouse_name" character varying(200) NOT NULL,
                "warehouse_registration_id" character varying(64) NOT NULL,
                "warehouse_address" character varying(500) NOT NULL,
                "receipt_number" character varying(64) NOT NULL,
                "haircut" numeric(5, 4),
                "margin_call_ltv" numeric(9, 8),
                "liquidation_ltv" numeric(9, 8),
                "approval_ltv" numeric(9, 8),
                "annual_rate" numeric(12, 8),
                "day_count" character varying(7),
                "collateral_value" numeric(20, 4) NOT NULL DEFAULT '0',
                "lending_value" numeric(20, 4) NOT NULL DEFAULT '0',
                "ltv" numeric(16, 8),
                "warehouse_verified_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_by" uuid,
                "valued_by" uuid,
                "valued_at" TIMESTAMP(3) WITH TIME ZONE,
                "approved_by" uuid,
                "approved_at" TIMESTAMP(3) WITH TIME ZONE,
                "activated_at" TIMESTAMP(3) WITH TIME ZONE,
                "revalued_at" TIMESTAMP(3) WITH TIME ZONE,
                "margin_called_at" TIMESTAMP(3) WITH TIME ZONE,
                "liquidation_alerted_at" TIMESTAMP(3) WITH TIME ZONE,
                "released_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pledges_day_count_check" CHECK (
                    "day_count" IS NULL
                    OR "day_count" IN ('ACT/360', 'ACT/365')
                ),
                CONSTRAINT "pledges_maker_checker_check" CHECK (
                    "approved_by" IS NULL
                    OR "approved_by" <> "valued_by"
                ),
                CONSTRAINT "pledges_levels_check" CHECK (
                    "haircut" IS NULL
                    OR (
                        "haircut" >= 0
                        AND "haircut" <= 0.9
                        AND "margin_call_ltv" > 0
                        AND "margin_call_ltv" < "liquidation_ltv"
                    )
                ),
                CONSTRAINT "pledges_status_check" CHECK (
                    "status" IN (
                        'REQUESTED',
                        'VALUED',
                        'APPROVED',
                        'ACTIVE',
                        'PARTIALLY_RELEASED',
                        'MARGIN_CALL',
                        'RELEASED'
                    )
                ),
                CONSTRAINT "PK_cbc41e4e1ba6b2690543f158d22" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "pledges_program_id_idx" ON "pledges" ("program_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "pledges_financier_status_idx" ON "pledges" ("financier_id", "status")
        `);
    await queryRunner.query(`
            CREATE INDEX "pledges_supplier_status_idx" ON "pledges" ("supplier_id", "status")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "pledges_reference_key" ON "pledges" ("reference")
        `);
    await queryRunner.query(`
            CREATE TABLE "pledge_items" (
                "pledge_id" uuid NOT NULL,
                "sku" character varying(64) NOT NULL,
                "description" character varying(500) NOT NULL,
                "quantity" numeric(20, 4) NOT NULL,
                "unit" character varying(16) NOT NULL,
                "declared_unit_value" numeric(20, 4) NOT NULL,
                "market_unit_price" numeric(20, 6),
                "marked_at" TIMESTAMP(3) WITH TIME ZONE,
                "position" integer NOT NULL,
                CONSTRAINT "pledge_items_price_check" CHECK (
                    "market_unit_price" IS NULL
                    OR "market_unit_price" >= 0
                ),
                CONSTRAINT "pledge_items_quantity_check" CHECK (
                    "quantity" >= 0
                    AND "declared_unit_value" >= 0
                ),
                CONSTRAINT "PK_7a97f4f73c37bbac51b03b6eb0d" PRIMARY KEY ("pledge_id", "sku")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "pledge_marks" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "pledge_id" uuid NOT NULL,
                "sku" character varying(64) NOT NULL,
                "market_unit_price" numeric(20, 6) NOT NULL,
                "as_of" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "source" character varying(16) NOT NULL,
                "recorded_by" uuid,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pledge_marks_price_check" CHECK ("market_unit_price" >= 0),
                CONSTRAINT "PK_d1cc84b020305ac97c6c27e1f21" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "pledge_marks_pledge_sku_idx" ON "pledge_marks" ("pledge_id", "sku", "as_of")
        `);
    await queryRunner.query(`
            CREATE TABLE "pledge_receipts" (
                "pledge_id" uuid NOT NULL,
                "warehouse_registration_id" character varying(64) NOT NULL,
                "receipt_number" character varying(64) NOT NULL,
                "live" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_237e08959936183378437be9b43" PRIMARY KEY (
                    "pledge_id",
                    "warehouse_registration_id",
                    "receipt_number"
                )
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "pledge_receipts_live_key" ON "pledge_receipts" ("warehouse_registration_id", "receipt_number")
            WHERE "live"
        `);
    await queryRunner.query(`
            CREATE TABLE "pledge_releases" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "pledge_id" uuid NOT NULL,
                "number" character varying(40) NOT NULL,
                "lines" jsonb NOT NULL,
                "collateral_before" numeric(20, 4) NOT NULL,
                "collateral_after" numeric(20, 4) NOT NULL,
                "outstanding_amount" numeric(20, 4) NOT NULL,
                "ltv_after" numeric(16, 8),
                "full" boolean NOT NULL,
                "released_by" uuid,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_19f680a114eab2f40179d330f5c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "pledge_releases_pledge_idx" ON "pledge_releases" ("pledge_id", "created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD "pledge_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "FK_ac46003aeba1ad0c5d685e9a7cf"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "FK_20feea8af92295094ff06c77159"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financings_anchor_status_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ALTER COLUMN "anchor_id" DROP NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ALTER COLUMN "program_id" DROP NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "financings_pledge_id_idx" ON "financings" ("pledge_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "financings_anchor_status_idx" ON "financings" ("anchor_id", "status")
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD CONSTRAINT "financings_security_check" CHECK (
                    "pledge_id" IS NOT NULL
                    OR (
                        "anchor_id" IS NOT NULL
                        AND "program_id" IS NOT NULL
                    )
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "pledges"
            ADD CONSTRAINT "FK_f9e18b83af566b5b65e758d6727" FOREIGN KEY ("supplier_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "pledges"
            ADD CONSTRAINT "FK_dc50edd4226b7e224896bae1cc3" FOREIGN KEY ("financier_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "pledges"
            ADD CONSTRAINT "FK_608fd0f2ff4db845c8c3e1edf65" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "pledge_items"
            ADD CONSTRAINT "FK_fecd9bbdcc5dcd1669aa7f72185" FOREIGN KEY ("pledge_id") REFERENCES "pledges"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "pledge_receipts"
            ADD CONSTRAINT "FK_984afe17ae2c86be80d1c8a0cf6" FOREIGN KEY ("pledge_id") REFERENCES "pledges"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD CONSTRAINT "FK_ac46003aeba1ad0c5d685e9a7cf" FOREIGN KEY ("anchor_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD CONSTRAINT "FK_20feea8af92295094ff06c77159" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD CONSTRAINT "FK_3278661ec286ddebb314f3bf51d" FOREIGN KEY ("pledge_id") REFERENCES "pledges"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "FK_3278661ec286ddebb314f3bf51d"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "FK_20feea8af92295094ff06c77159"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "FK_ac46003aeba1ad0c5d685e9a7cf"
        `);
    await queryRunner.query(`
            ALTER TABLE "pledge_receipts" DROP CONSTRAINT "FK_984afe17ae2c86be80d1c8a0cf6"
        `);
    await queryRunner.query(`
            ALTER TABLE "pledge_items" DROP CONSTRAINT "FK_fecd9bbdcc5dcd1669aa7f72185"
        `);
    await queryRunner.query(`
            ALTER TABLE "pledges" DROP CONSTRAINT "FK_608fd0f2ff4db845c8c3e1edf65"
        `);
    await queryRunner.query(`
            ALTER TABLE "pledges" DROP CONSTRAINT "FK_dc50edd4226b7e224896bae1cc3"
        `);
    await queryRunner.query(`
            ALTER TABLE "pledges" DROP CONSTRAINT "FK_f9e18b83af566b5b65e758d6727"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "financings_security_check"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financings_anchor_status_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financings_pledge_id_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ALTER COLUMN "program_id"
            SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ALTER COLUMN "anchor_id"
            SET NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "financings_anchor_status_idx" ON "financings" USING btree ("anchor_id", "status")
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD CONSTRAINT "FK_20feea8af92295094ff06c77159" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD CONSTRAINT "FK_ac46003aeba1ad0c5d685e9a7cf" FOREIGN KEY ("anchor_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP COLUMN "pledge_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledge_releases_pledge_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "pledge_releases"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledge_receipts_live_key"
        `);
    await queryRunner.query(`
            DROP TABLE "pledge_receipts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledge_marks_pledge_sku_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "pledge_marks"
        `);
    await queryRunner.query(`
            DROP TABLE "pledge_items"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledges_reference_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledges_supplier_status_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledges_financier_status_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledges_program_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "pledges"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledge_attempts_receipt_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledge_attempts_supplier_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "pledge_attempts"
        `);
    await queryRunner.query(`DROP SEQUENCE "pledge_reference_seq"`);
    await queryRunner.query(
      `ALTER TABLE "ledger_postings" DROP CONSTRAINT "ledger_postings_account_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_account_check" CHECK ("account" IN ('CASH','FINANCING_RECEIVABLE','DISCOUNT_INCOME','SURPLUS_PAYABLE','DILUTION_RECEIVABLE','CREDIT_LOSS','FINANCING_COST','RECEIVABLES_ASSIGNED','SURPLUS_RECEIVABLE','DILUTION_PAYABLE','RECOURSE_PAID','INVOICES_PAID','FEE_INCOME'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" DROP CONSTRAINT "journal_entries_kind_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_kind_check" CHECK ("kind" IN ('DISBURSEMENT','SETTLEMENT','SURPLUS_PAYMENT','DILUTION','RECOVERY','WRITE_OFF'))`,
    );
  }
}
