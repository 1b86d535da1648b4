CREATE TABLE "joint_lists" (
	"id" uuid PRIMARY KEY NOT NULL,
	"series_id" uuid NOT NULL,
	"list_version" integer NOT NULL,
	"title" text NOT NULL,
	"level" text NOT NULL,
	"district_code" text,
	"proposer_agency_code" text NOT NULL,
	"state" text NOT NULL,
	"entries" jsonb NOT NULL,
	"review_bureau_code" text NOT NULL,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"review_opinion" text,
	"returned_reason" text,
	"approver_name" text,
	"approval_doc_no" text,
	"approval_recorded_by" text,
	"approved_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"superseded_at" timestamp with time zone,
	"superseded_by_id" uuid,
	"amends_id" uuid,
	"amendment_reason" text,
	"created_by" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "joint_task_parts" (
	"inspection_id" uuid PRIMARY KEY NOT NULL,
	"task_id" uuid NOT NULL,
	"agency_code" text NOT NULL,
	"enterprise_code" text NOT NULL,
	"role" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "joint_task_units" (
	"task_id" uuid NOT NULL,
	"agency_code" text NOT NULL,
	"role" text NOT NULL,
	"state" text NOT NULL,
	"matter_codes" text[] NOT NULL,
	"inspectors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"escalation_ground" text,
	"assistance_ref" text,
	"onsite_reason" text,
	"assigned_by" text,
	"assigned_at" timestamp with time zone,
	"assign_note" text,
	"responded_by" text,
	"responded_at" timestamp with time zone,
	"decline_reason" text,
	"decline_legal_basis" text,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "joint_task_units_task_id_agency_code_pk" PRIMARY KEY("task_id","agency_code")
);
--> statement-breakpoint
CREATE TABLE "joint_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"list_id" uuid NOT NULL,
	"list_version" integer NOT NULL,
	"entry_code" text NOT NULL,
	"entry" jsonb NOT NULL,
	"lead_agency_code" text NOT NULL,
	"enterprise_codes" text[] NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"counted_date" date NOT NULL,
	"state" text NOT NULL,
	"note" text,
	"launched_by" text NOT NULL,
	"approved_at" timestamp with time zone,
	"code_issued_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "joint_visits" (
	"task_id" uuid NOT NULL,
	"enterprise_code" text NOT NULL,
	"code" text,
	"results" jsonb,
	"findings_at" timestamp with time zone,
	"notification" jsonb,
	"result_notified_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "joint_visits_task_id_enterprise_code_pk" PRIMARY KEY("task_id","enterprise_code")
);
--> statement-breakpoint
CREATE TABLE "single_visit_coordination" (
	"inspection_id" uuid PRIMARY KEY NOT NULL,
	"advice" jsonb NOT NULL,
	"alone_reason" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "joint_lists" ADD CONSTRAINT "joint_lists_proposer_agency_code_agencies_code_fk" FOREIGN KEY ("proposer_agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_task_parts" ADD CONSTRAINT "joint_task_parts_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_task_parts" ADD CONSTRAINT "joint_task_parts_task_id_joint_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."joint_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_task_units" ADD CONSTRAINT "joint_task_units_task_id_joint_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."joint_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_task_units" ADD CONSTRAINT "joint_task_units_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_tasks" ADD CONSTRAINT "joint_tasks_list_id_joint_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."joint_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_tasks" ADD CONSTRAINT "joint_tasks_lead_agency_code_agencies_code_fk" FOREIGN KEY ("lead_agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_visits" ADD CONSTRAINT "joint_visits_task_id_joint_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."joint_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_visits" ADD CONSTRAINT "joint_visits_enterprise_code_enterprises_credit_code_fk" FOREIGN KEY ("enterprise_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_visits" ADD CONSTRAINT "joint_visits_code_inspection_codes_code_fk" FOREIGN KEY ("code") REFERENCES "public"."inspection_codes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "single_visit_coordination" ADD CONSTRAINT "single_visit_coordination_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "joint_lists_series_version_uq" ON "joint_lists" USING btree ("series_id","list_version");--> statement-breakpoint
CREATE UNIQUE INDEX "joint_lists_one_published_uq" ON "joint_lists" USING btree ("series_id") WHERE state = 'published';--> statement-breakpoint
CREATE UNIQUE INDEX "joint_lists_one_pending_uq" ON "joint_lists" USING btree ("series_id") WHERE state IN ('proposed', 'returned', 'reviewed', 'approved');--> statement-breakpoint
CREATE INDEX "joint_lists_state_idx" ON "joint_lists" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "joint_task_parts_unit_uq" ON "joint_task_parts" USING btree ("task_id","agency_code","enterprise_code");--> statement-breakpoint
CREATE INDEX "joint_task_parts_task_idx" ON "joint_task_parts" USING btree ("task_id","enterprise_code");--> statement-breakpoint
CREATE INDEX "joint_task_units_agency_idx" ON "joint_task_units" USING btree ("agency_code","state");--> statement-breakpoint
CREATE INDEX "joint_tasks_lead_idx" ON "joint_tasks" USING btree ("lead_agency_code","state");--> statement-breakpoint
CREATE INDEX "joint_tasks_state_window_idx" ON "joint_tasks" USING btree ("state","window_start");--> statement-breakpoint
CREATE INDEX "joint_visits_code_idx" ON "joint_visits" USING btree ("code");