import { MigrationInterface, QueryRunner } from 'typeorm';

export class Financing1796009743575 implements MigrationInterface {
  name = 'Financing1796009743575';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Financing references SCF-<year>-<number>: the end-to-end id of their payments.
    await queryRunner.query(`CREATE SEQUENCE "financing_reference_seq"`);
    await queryRunner.query(`
            CREATE TABLE "documents" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "kind" character varying(24) NOT NULL,
                "status" character varying(8) NOT NULL,
                "subject_type" character varying(16) NOT NULL,
                "subject_id" uuid NOT NULL,
                "party_ids" uuid array NOT NULL,
                "number" character varying(40) NOT NULL,
                "sha256" character(64),
                "pages" integer,
                "failure_reason" text,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "documents_status_check" CHECK ("status" IN ('QUEUED', 'READY', 'FAILED')),
                CONSTRAINT "documents_kind_check" CHECK (
                    "kind" IN (
                        'PLEDGE_AGREEMENT',
                        'RELEASE_CERTIFICATE',
                        'ASSIGNMENT_NOTICE',
                        'FINANCING_CONFIRMATION',
                        'SETTLEMENT_STATEMENT'
                    )
                ),
                CONSTRAINT "PK_ac51aa5181ee2036f5ca482857c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "documents_kind_subject_key" ON "documents" ("kind", "subject_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "documents_subject_idx" ON "documents" ("subject_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "auto_accept_rules" (
                "supplier_id" uuid NOT NULL,
                "program_id" uuid NOT NULL,
                "max_effective_rate" numeric(12, 8) NOT NULL,
                "active" boolean NOT NULL,
                "set_by" uuid,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "auto_accept_rules_rate_check" CHECK (
                    "max_effective_rate" > 0
                    AND "max_effective_rate" < 1
                ),
                CONSTRAINT "PK_6b2ab8510ff94aa754ef21ad3cc" PRIMARY KEY ("supplier_id", "program_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "financing_requests" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "supplier_id" uuid NOT NULL,
                "anchor_id" uuid NOT NULL,
                "program_id" uuid NOT NULL,
                "currency" character(3) NOT NULL,
                "value_date" date NOT NULL,
                "status" character varying(10) NOT NULL,
                "reasons" jsonb NOT NULL DEFAULT '[]',
                "invoice_ids" uuid array NOT NULL,
                "requested_by" uuid,
                "offered_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "financing_requests_status_check" CHECK (
                    "status" IN (
                        'QUEUED',
                        'OFFERED',
                        'NO_OFFER',
                        'ACCEPTED',
                        'EXPIRED',
                        'CANCELLED'
                    )
                ),
                CONSTRAINT "PK_4a8b3bd786a44cd42cd8f06bcd6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "financing_requests_program_id_idx" ON "financing_requests" ("program_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "financing_requests_supplier_created_idx" ON "financing_requests" ("supplier_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "offers" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "request_id" uuid NOT NULL,
                "financier_id" uuid NOT NULL,
                "status" character varying(10) NOT NULL,
                "currency" character(3) NOT NULL,
                "annual_rate" numeric(12, 8) NOT NULL,
                "effective_annual_rate" numeric(12, 8) NOT NULL,
                "confirmed_amount" numeric(20, 4) NOT NULL,
                "advance_amount" numeric(20, 4) NOT NULL,
                "discount_amount" numeric(20, 4) NOT NULL,
                "fee_amount" numeric(20, 4) NOT NULL,
                "net_proceeds" numeric(20, 4) NOT NULL,
                "maturity_date" date NOT NULL,
                "lines" jsonb NOT NULL,
                "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "offers_figures_check" CHECK (
                    "advance_amount" > 0
                    AND "discount_amount" >= 0
                    AND "fee_amount" >= 0
                    AND "net_proceeds" = "advance_amount" - "discount_amount" - "fee_amount"
                ),
                CONSTRAINT "offers_status_check" CHECK (
                    "status" IN ('LIVE', 'ACCEPTED', 'WITHDRAWN', 'EXPIRED')
                ),
                CONSTRAINT "PK_4c88e956195bba85977da21b8f4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "offers_financier_id_idx" ON "offers" ("financier_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "offers_live_expiry_idx" ON "offers" ("expires_at")
            WHERE "status" = 'LIVE'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "offers_request_financier_key" ON "offers" ("request_id", "financier_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "financings" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "reference" character varying(35) NOT NULL,
                "request_id" uuid,
                "offer_id" uuid,
                "supplier_id" uuid NOT NULL,
                "financier_id" uuid NOT NULL,
                "anchor_id" uuid NOT NULL,
                "program_id" uuid NOT NULL,
                "status" character varying(16) NOT NULL,
                "currency" character(3) NOT NULL,
                "recourse" character varying(7) NOT NULL,
                "annual_rate" numeric(12, 8) NOT NULL,
                "effective_annual_rate" numeric(12, 8) NOT NULL,
                "confirmed_amount" numeric(20, 4) NOT NULL,
                "advance_amount" numeric(20, 4) NOT NULL,
                "discount_amount" numeric(20, 4) NOT NULL,
                "fee_amount" numeric(20, 4) NOT NULL,
                "net_proceeds" numeric(20, 4) NOT NULL,
                "outstanding_amount" numeric(20, 4) NOT NULL,
                "paid_amount" numeric(20, 4) NOT NULL DEFAULT '0',
                "surplus_amount" numeric(20, 4) NOT NULL DEFAULT '0',
                "written_off_amount" numeric(20, 4) NOT NULL DEFAULT '0',
                "value_date" date NOT NULL,
                "maturity_date" date NOT NULL,
                "grace_days" integer NOT NULL,
                "accepted_by" uuid,
                "maker_id" uuid,
                "checker_id" uuid,
                "submitted_at" TIMESTAMP(3) WITH TIME ZONE,
                "approved_at" TIMESTAMP(3) WITH TIME ZONE,
                "decline_reason" text,
                "bank_reference" character varying(64),
                "disbursed_at" TIMESTAMP(3) WITH TIME ZONE,
                "settled_at" TIMESTAMP(3) WITH TIME ZONE,
                "overdue_at" TIMESTAMP(3) WITH TIME ZONE,
                "write_off_reason" text,
                "closed_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "financings_maker_checker_check" CHECK (
                    "checker_id" IS NULL
                    OR "checker_id" <> "maker_id"
                ),
                CONSTRAINT "financings_figures_check" CHECK (
                    "advance_amount" > 0
                    AND "net_proceeds" = "advance_amount" - "discount_amount" - "fee_amount"
                    AND "outstanding_amount" >= 0
                    AND "outstanding_amount" <= "advance_amount"
                    AND "paid_amount" >= 0
                    AND "surplus_amount" >= 0
                ),
                CONSTRAINT "financings_status_check" CHECK (
                    "status" IN (
                        'ACCEPTED',
                        'PENDING_APPROVAL',
                        'APPROVED',
                        'DISBURSED',
                        'SETTLED',
                        'OVERDUE',
                        'RECOVERED',
                        'WRITTEN_OFF',
                        'CANCELLED',
                        'DECLINED'
                    )
                ),
                CONSTRAINT "PK_c171e1980d75cab2004820b5be6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "financings_request_id_idx" ON "financings" ("request_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "financings_program_id_idx" ON "financings" ("program_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "financings_overdue_sweep_idx" ON "financings" ("maturity_date")
            WHERE "status" = 'DISBURSED'
        `);
    await queryRunner.query(`
            CREATE INDEX "financings_anchor_status_idx" ON "financings" ("anchor_id", "status")
        `);
    await queryRunner.query(`
            CREATE INDEX "financings_supplier_status_idx" ON "financings" ("supplier_id", "status")
        `);
    await queryRunner.query(`
            CREATE INDEX "financings_financier_status_idx" ON "financings" ("financier_id", "status")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "financings_offer_id_key" ON "financings" ("offer_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "financings_reference_key" ON "financings" ("reference")
        `);
    await queryRunner.query(`
            CREATE TABLE "financing_invoices" (
                "financing_id" uuid NOT NULL,
                "invoice_id" uuid NOT NULL,
                "live" boolean NOT NULL DEFAULT true,
                "confirmed_amount" numeric(20, 4) NOT NULL,
                "advance_amount" numeric(20, 4) NOT NULL,
                "days" integer NOT NULL,
                "discount_amount" numeric(20, 4) NOT NULL,
                CONSTRAINT "PK_5cd3d3595267c15a3c4317e0b33" PRIMARY KEY ("financing_id", "invoice_id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "financing_invoices_live_key" ON "financing_invoices" ("invoice_id")
            WHERE "live"
        `);
    await queryRunner.query(`
            CREATE TABLE "supplier_limit_usage" (
                "program_id" uuid NOT NULL,
                "financier_id" uuid NOT NULL,
                "supplier_id" uuid NOT NULL,
                "reserved_amount" numeric(20, 4) NOT NULL DEFAULT '0',
                "used_amount" numeric(20, 4) NOT NULL DEFAULT '0',
                CONSTRAINT "supplier_limit_usage_amounts_check" CHECK (
                    "reserved_amount" >= 0
                    AND "used_amount" >= 0
                ),
                CONSTRAINT "PK_1ac31e6b94979d11f3083acbee3" PRIMARY KEY ("program_id", "financier_id", "supplier_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "financing_request_invoices" (
                "request_id" uuid NOT NULL,
                "invoice_id" uuid NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                CONSTRAINT "PK_cfa436635d71ebce02e3621580b" PRIMARY KEY ("request_id", "invoice_id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "financing_request_invoices_active_key" ON "financing_request_invoices" ("invoice_id")
            WHERE "active"
        `);
    await queryRunner.query(`
            CREATE TABLE "settlements" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "financing_id" uuid NOT NULL,
                "financier_id" uuid NOT NULL,
                "kind" character varying(10) NOT NULL,
                "amount" numeric(20, 4) NOT NULL,
                "to_receivable" numeric(20, 4) NOT NULL,
                "to_surplus" numeric(20, 4) NOT NULL,
                "paid_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "bank_reference" character varying(64) NOT NULL,
                "entry_reference" character varying(64),
                "source" character varying(8) NOT NULL,
                "recorded_by" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "settlements_amounts_check" CHECK (
                    "amount" > 0
                    AND "to_receivable" >= 0
                    AND "to_surplus" >= 0
                    AND "amount" = "to_receivable" + "to_surplus"
                ),
                CONSTRAINT "settlements_kind_check" CHECK ("kind" IN ('SETTLEMENT', 'RECOVERY')),
                CONSTRAINT "PK_5f523ce152b84e818bff9467aab" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "settlements_financing_id_idx" ON "settlements" ("financing_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "settlements_entry_reference_key" ON "settlements" ("financier_id", "entry_reference")
            WHERE "entry_reference" IS NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "program_financiers"
            ADD "reserved_amount" numeric(20, 4) NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "program_financiers"
            ADD "used_amount" numeric(20, 4) NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "program_financiers"
            ADD CONSTRAINT "program_financiers_usage_check" CHECK (
                    "reserved_amount" >= 0
                    AND "used_amount" >= 0
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "auto_accept_rules"
            ADD CONSTRAINT "FK_3fe9f813692d1fb5c0b6344d667" FOREIGN KEY ("supplier_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "auto_accept_rules"
            ADD CONSTRAINT "FK_e4c935399c7a4c8ecca86bf48d3" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_requests"
            ADD CONSTRAINT "FK_46d3f421e51298e8d22ea2acb05" FOREIGN KEY ("supplier_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_requests"
            ADD CONSTRAINT "FK_c95beb30b1c93f41c3bd09dcf22" FOREIGN KEY ("anchor_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_requests"
            ADD CONSTRAINT "FK_8a7846b7ce590270ab17910345b" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "offers"
            ADD CONSTRAINT "FK_a95e1929b6cdc91ec744b5dce3c" FOREIGN KEY ("request_id") REFERENCES "financing_requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "offers"
            ADD CONSTRAINT "FK_841bd9b39a6ceb8ae6e9d322abf" FOREIGN KEY ("financier_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD CONSTRAINT "FK_86bca0869692b80c8319bfd5dbd" FOREIGN KEY ("request_id") REFERENCES "financing_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD CONSTRAINT "FK_495955ed5118edf908ff5321151" FOREIGN KEY ("offer_id") REFERENCES "offers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD CONSTRAINT "FK_c0a1744d35920c6b98f619b7b2e" FOREIGN KEY ("supplier_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD CONSTRAINT "FK_45f64011a209599dd5f060549c4" FOREIGN KEY ("financier_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
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
            ALTER TABLE "financing_invoices"
            ADD CONSTRAINT "FK_bceda0c2bc434a6f09b8b6194b9" FOREIGN KEY ("financing_id") REFERENCES "financings"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_invoices"
            ADD CONSTRAINT "FK_608b49ea2520f9f1f445172e1b0" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_request_invoices"
            ADD CONSTRAINT "FK_94adb4dec60a7fbf2d30e77d5bc" FOREIGN KEY ("request_id") REFERENCES "financing_requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_request_invoices"
            ADD CONSTRAINT "FK_2be4f9631e09e96946b157a3f70" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "settlements"
            ADD CONSTRAINT "FK_6c4ea50fdd32bed37e289ba6101" FOREIGN KEY ("financing_id") REFERENCES "financings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "settlements" DROP CONSTRAINT "FK_6c4ea50fdd32bed37e289ba6101"
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_request_invoices" DROP CONSTRAINT "FK_2be4f9631e09e96946b157a3f70"
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_request_invoices" DROP CONSTRAINT "FK_94adb4dec60a7fbf2d30e77d5bc"
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_invoices" DROP CONSTRAINT "FK_608b49ea2520f9f1f445172e1b0"
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_invoices" DROP CONSTRAINT "FK_bceda0c2bc434a6f09b8b6194b9"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "FK_20feea8af92295094ff06c77159"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "FK_ac46003aeba1ad0c5d685e9a7cf"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "FK_45f64011a209599dd5f060549c4"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "FK_c0a1744d35920c6b98f619b7b2e"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "FK_495955ed5118edf908ff5321151"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "FK_86bca0869692b80c8319bfd5dbd"
        `);
    await queryRunner.query(`
            ALTER TABLE "offers" DROP CONSTRAINT "FK_841bd9b39a6ceb8ae6e9d322abf"
        `);
    await queryRunner.query(`
            ALTER TABLE "offers" DROP CONSTRAINT "FK_a95e1929b6cdc91ec744b5dce3c"
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_requests" DROP CONSTRAINT "FK_8a7846b7ce590270ab17910345b"
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_requests" DROP CONSTRAINT "FK_c95beb30b1c93f41c3bd09dcf22"
        `);
    await queryRunner.query(`
            ALTER TABLE "financing_requests" DROP CONSTRAINT "FK_46d3f421e51298e8d22ea2acb05"
        `);
    await queryRunner.query(`
            ALTER TABLE "auto_accept_rules" DROP CONSTRAINT "FK_e4c935399c7a4c8ecca86bf48d3"
        `);
    await queryRunner.query(`
            ALTER TABLE "auto_accept_rules" DROP CONSTRAINT "FK_3fe9f813692d1fb5c0b6344d667"
        `);
    await queryRunner.query(`
            ALTER TABLE "program_financiers" DROP CONSTRAINT "program_financiers_usage_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "program_financiers" DROP COLUMN "used_amount"
        `);
    await queryRunner.query(`
            ALTER TABLE "program_financiers" DROP COLUMN "reserved_amount"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."settlements_entry_reference_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."settlements_financing_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "settlements"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financing_request_invoices_active_key"
        `);
    await queryRunner.query(`
            DROP TABLE "financing_request_invoices"
        `);
    await queryRunner.query(`
            DROP TABLE "supplier_limit_usage"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financing_invoices_live_key"
        `);
    await queryRunner.query(`
            DROP TABLE "financing_invoices"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financings_reference_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financings_offer_id_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financings_financier_status_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financings_supplier_status_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financings_anchor_status_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financings_overdue_sweep_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financings_program_id_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financings_request_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "financings"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."offers_request_financier_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."offers_live_expiry_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."offers_financier_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "offers"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financing_requests_supplier_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."financing_requests_program_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "financing_requests"
        `);
    await queryRunner.query(`
            DROP TABLE "auto_accept_rules"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."documents_subject_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."documents_kind_subject_key"
        `);
    await queryRunner.query(`
            DROP TABLE "documents"
        `);
    await queryRunner.query(`DROP SEQUENCE "financing_reference_seq"`);
  }
}
