CREATE TABLE "crime_transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"enterprise_code" text NOT NULL,
	"inspection_id" uuid,
	"description" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"found_on" date NOT NULL,
	"document_no" text NOT NULL,
	"receiving_organ" text NOT NULL,
	"approved_by" text NOT NULL,
	"transferred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "admin_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"detail" text NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurrences" integer DEFAULT 1 NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"last_raised_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"resolution" text
);
--> statement-breakpoint
ALTER TABLE "referrals" ALTER COLUMN "due_date" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "due_pending_year" integer;--> statement-breakpoint
ALTER TABLE "crime_transfers" ADD CONSTRAINT "crime_transfers_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crime_transfers" ADD CONSTRAINT "crime_transfers_enterprise_code_enterprises_credit_code_fk" FOREIGN KEY ("enterprise_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crime_transfers" ADD CONSTRAINT "crime_transfers_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "crime_transfers_document_uq" ON "crime_transfers" USING btree ("agency_code","document_no");--> statement-breakpoint
CREATE INDEX "crime_transfers_enterprise_idx" ON "crime_transfers" USING btree ("enterprise_code");--> statement-breakpoint
CREATE INDEX "crime_transfers_inspection_idx" ON "crime_transfers" USING btree ("inspection_id");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_alerts_kind_key_uq" ON "admin_alerts" USING btree ("kind","key");--> statement-breakpoint
CREATE INDEX "admin_alerts_open_idx" ON "admin_alerts" USING btree ("resolved_at","raised_at");--> statement-breakpoint
CREATE INDEX "referrals_due_pending_idx" ON "referrals" USING btree ("due_pending_year");--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_due_date_or_pending_ck" CHECK (("referrals"."due_date" IS NULL) <> ("referrals"."due_pending_year" IS NULL));