CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"competent_agency_code" text NOT NULL,
	"enterprise_code" text NOT NULL,
	"inspection_id" uuid,
	"source" text NOT NULL,
	"description" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"found_on" date NOT NULL,
	"due_date" date NOT NULL,
	"state" text NOT NULL,
	"sent_at" timestamp with time zone,
	"sent_on" date,
	"sent_by" text,
	"received_at" timestamp with time zone,
	"received_by" text,
	"accepted_at" timestamp with time zone,
	"accepted_by" text,
	"acceptance_ref" text,
	"superior_agency_code" text,
	"escalation_ground" text,
	"escalated_by" text,
	"escalated_at" timestamp with time zone,
	"crime_transfer_doc_no" text,
	"crime_transfer_organ" text,
	"crime_transferred_by" text,
	"crime_transferred_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_devices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"owner_kind" text NOT NULL,
	"owner_agency_code" text,
	"owner_enterprise_code" text,
	"name" text NOT NULL,
	"location" text NOT NULL,
	"district_code" text,
	"purpose" text NOT NULL,
	"standard" text NOT NULL,
	"state" text NOT NULL,
	"legal_review" jsonb,
	"legal_review_passed_at" timestamp with time zone,
	"technical_review" jsonb,
	"technical_review_passed_at" timestamp with time zone,
	"quality_certificate_no" text,
	"sole_evidence_basis" boolean,
	"published_at" timestamp with time zone,
	"publication_ref" text,
	"activated_at" timestamp with time zone,
	"retired_at" timestamp with time zone,
	"retired_reason" text,
	"internal_note" text,
	"created_by" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprise_notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"rule" text NOT NULL,
	"article" text NOT NULL,
	"agency_code" text NOT NULL,
	"enterprise_code" text NOT NULL,
	"inspection_id" uuid,
	"title" text NOT NULL,
	"observed" text NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"rule_basis" text NOT NULL,
	"how_to_correct" text NOT NULL,
	"correct_by" date,
	"contact" jsonb NOT NULL,
	"body" text NOT NULL,
	"issued_by" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	"read_by" text
);
--> statement-breakpoint
CREATE TABLE "offsite_records" (
	"inspection_id" uuid PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"source_details" jsonb NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"summary" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"suspected_violation" boolean NOT NULL,
	"notice_id" uuid,
	"onsite_inspection_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_competent_agency_code_agencies_code_fk" FOREIGN KEY ("competent_agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_enterprise_code_enterprises_credit_code_fk" FOREIGN KEY ("enterprise_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_superior_agency_code_agencies_code_fk" FOREIGN KEY ("superior_agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_devices" ADD CONSTRAINT "monitoring_devices_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_devices" ADD CONSTRAINT "monitoring_devices_owner_agency_code_agencies_code_fk" FOREIGN KEY ("owner_agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_devices" ADD CONSTRAINT "monitoring_devices_owner_enterprise_code_enterprises_credit_code_fk" FOREIGN KEY ("owner_enterprise_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_devices" ADD CONSTRAINT "monitoring_devices_district_code_districts_code_fk" FOREIGN KEY ("district_code") REFERENCES "public"."districts"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_notices" ADD CONSTRAINT "enterprise_notices_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_notices" ADD CONSTRAINT "enterprise_notices_enterprise_code_enterprises_credit_code_fk" FOREIGN KEY ("enterprise_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_notices" ADD CONSTRAINT "enterprise_notices_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offsite_records" ADD CONSTRAINT "offsite_records_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offsite_records" ADD CONSTRAINT "offsite_records_onsite_inspection_id_inspections_id_fk" FOREIGN KEY ("onsite_inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referrals_state_due_idx" ON "referrals" USING btree ("state","due_date");--> statement-breakpoint
CREATE INDEX "referrals_agency_idx" ON "referrals" USING btree ("agency_code");--> statement-breakpoint
CREATE INDEX "referrals_competent_idx" ON "referrals" USING btree ("competent_agency_code","state");--> statement-breakpoint
CREATE INDEX "referrals_inspection_idx" ON "referrals" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "monitoring_devices_agency_idx" ON "monitoring_devices" USING btree ("agency_code","state");--> statement-breakpoint
CREATE INDEX "monitoring_devices_state_idx" ON "monitoring_devices" USING btree ("state");--> statement-breakpoint
CREATE INDEX "enterprise_notices_enterprise_idx" ON "enterprise_notices" USING btree ("enterprise_code","issued_at");--> statement-breakpoint
CREATE INDEX "enterprise_notices_agency_idx" ON "enterprise_notices" USING btree ("agency_code","issued_at");--> statement-breakpoint
CREATE INDEX "offsite_records_onsite_idx" ON "offsite_records" USING btree ("onsite_inspection_id");