CREATE TABLE "frequency_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text DEFAULT 'cap' NOT NULL,
	"issuer_level" text NOT NULL,
	"issuer_name" text NOT NULL,
	"document_no" text NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_value" text,
	"agency_code" text,
	"period" text NOT NULL,
	"max_count" integer NOT NULL,
	"risk_class" text,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "no_disturb_list" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_code" text NOT NULL,
	"agency_code" text,
	"from_date" date NOT NULL,
	"to_date" date,
	"reason" text NOT NULL,
	"listed_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"matter_code" text NOT NULL,
	"legal_basis" text NOT NULL,
	"target_kind" text NOT NULL,
	"target_enterprises" text[] DEFAULT '{}' NOT NULL,
	"target_class" text,
	"sampling_ratio" numeric(5, 4),
	"check_items" text[] DEFAULT '{}' NOT NULL,
	"method" text NOT NULL,
	"frequency" integer NOT NULL,
	"necessity" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"year" integer NOT NULL,
	"state" text NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"deadline" date NOT NULL,
	"filing_bureau_code" text,
	"upper_authority_code" text,
	"submitted_at" timestamp with time zone,
	"filed_at" timestamp with time zone,
	"filed_by" text,
	"filed_late" boolean DEFAULT false NOT NULL,
	"returned_reason" text,
	"published_at" timestamp with time zone,
	"needs_refiling" boolean DEFAULT false NOT NULL,
	"amended_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "special_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"title" text NOT NULL,
	"focus" text NOT NULL,
	"matter_codes" text[] NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"state" text NOT NULL,
	"deployed_from_id" uuid,
	"approver_kind" text,
	"approver_name" text,
	"approval_doc_no" text,
	"approved_at" timestamp with time zone,
	"filing_bureau_code" text,
	"filed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "code_scans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"scanned_at" timestamp with time zone NOT NULL,
	"by_role" text NOT NULL,
	"by_sub" text NOT NULL,
	"at_enterprise" text NOT NULL,
	"location" text,
	"accepted" boolean NOT NULL,
	"late_reason" text,
	"refused_rule" text
);
--> statement-breakpoint
CREATE TABLE "inspection_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"inspection_id" uuid NOT NULL,
	"kid" text NOT NULL,
	"signature" text NOT NULL,
	"facts" jsonb NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"revoked_reason" text,
	"revoked_by" text,
	"revoked_at" timestamp with time zone,
	"issued_by" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"enterprise_code" text NOT NULL,
	"kind" text NOT NULL,
	"mode" text NOT NULL,
	"state" text NOT NULL,
	"matter_codes" text[] NOT NULL,
	"plan_id" uuid,
	"special_plan_id" uuid,
	"lead_kind" text,
	"lead_ref" text,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"counted_date" date NOT NULL,
	"counts_toward_cap" boolean DEFAULT true NOT NULL,
	"inspectors" jsonb NOT NULL,
	"checklist" jsonb NOT NULL,
	"team_exception_basis" text,
	"assistance_ref" text,
	"escalation_ground" text,
	"onsite_reason" text,
	"entity_scope" text NOT NULL,
	"excluded_relation" text,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"findings" jsonb,
	"findings_at" timestamp with time zone,
	"outcome" jsonb,
	"result_notified_at" timestamp with time zone,
	"follow_up_due" date,
	"follow_up_of" uuid,
	"merged_into" uuid,
	"closed_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flags" (
	"id" uuid PRIMARY KEY NOT NULL,
	"rule" text NOT NULL,
	"article" text NOT NULL,
	"severity" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"occurrence" text DEFAULT '' NOT NULL,
	"agency_code" text,
	"enterprise_code" text,
	"district_code" text,
	"observed" jsonb,
	"limit_value" jsonb,
	"detail" text NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"review_note" text
);
--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_plans" ADD CONSTRAINT "special_plans_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_scans" ADD CONSTRAINT "code_scans_code_inspection_codes_code_fk" FOREIGN KEY ("code") REFERENCES "public"."inspection_codes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_codes" ADD CONSTRAINT "inspection_codes_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_enterprise_code_enterprises_credit_code_fk" FOREIGN KEY ("enterprise_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "frequency_rules_scope_idx" ON "frequency_rules" USING btree ("scope_kind","scope_value");--> statement-breakpoint
CREATE INDEX "no_disturb_enterprise_idx" ON "no_disturb_list" USING btree ("enterprise_code");--> statement-breakpoint
CREATE INDEX "plan_items_plan_idx" ON "plan_items" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "plan_items_matter_idx" ON "plan_items" USING btree ("matter_code");--> statement-breakpoint
CREATE UNIQUE INDEX "plans_agency_year_uq" ON "plans" USING btree ("agency_code","year");--> statement-breakpoint
CREATE INDEX "plans_state_deadline_idx" ON "plans" USING btree ("state","deadline");--> statement-breakpoint
CREATE INDEX "special_plans_agency_idx" ON "special_plans" USING btree ("agency_code","state");--> statement-breakpoint
CREATE INDEX "code_scans_code_idx" ON "code_scans" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_codes_inspection_uq" ON "inspection_codes" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "inspections_enterprise_date_idx" ON "inspections" USING btree ("enterprise_code","counted_date");--> statement-breakpoint
CREATE INDEX "inspections_agency_state_idx" ON "inspections" USING btree ("agency_code","state");--> statement-breakpoint
CREATE INDEX "inspections_state_idx" ON "inspections" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "flags_occurrence_uq" ON "flags" USING btree ("rule","subject_type","subject_id","occurrence");--> statement-breakpoint
CREATE INDEX "flags_agency_idx" ON "flags" USING btree ("agency_code");--> statement-breakpoint
CREATE INDEX "flags_district_idx" ON "flags" USING btree ("district_code");--> statement-breakpoint
CREATE INDEX "flags_state_idx" ON "flags" USING btree ("state","raised_at");