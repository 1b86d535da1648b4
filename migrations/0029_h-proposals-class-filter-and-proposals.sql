CREATE TABLE "joint_proposal_units" (
	"proposal_id" uuid NOT NULL,
	"agency_code" text NOT NULL,
	"role" text NOT NULL,
	"matter_codes" text[] NOT NULL,
	"plan_item_ids" text[] DEFAULT '{}' NOT NULL,
	"state" text NOT NULL,
	"inspectors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"decline_reason" text,
	"decline_note" text,
	"decided_by" text,
	"decided_by_name" text,
	"decided_at" timestamp with time zone,
	CONSTRAINT "joint_proposal_units_proposal_id_agency_code_pk" PRIMARY KEY("proposal_id","agency_code")
);
--> statement-breakpoint
CREATE TABLE "joint_proposals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"period" text NOT NULL,
	"source" text NOT NULL,
	"enterprise_code" text NOT NULL,
	"district_code" text NOT NULL,
	"list_id" uuid NOT NULL,
	"list_version" integer NOT NULL,
	"entry_code" text NOT NULL,
	"lead_agency_code" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"team_max" integer NOT NULL,
	"form_lines" integer NOT NULL,
	"seed" text,
	"separate_visits" integer NOT NULL,
	"state" text NOT NULL,
	"respond_by" timestamp with time zone NOT NULL,
	"joint_task_id" uuid,
	"inspection_ids" text[] DEFAULT '{}' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "enterprises" ADD COLUMN "industry_code" text;--> statement-breakpoint
ALTER TABLE "enterprises" ADD COLUMN "licence_kinds" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_items" ADD COLUMN "class_filter" jsonb;--> statement-breakpoint
ALTER TABLE "joint_proposal_units" ADD CONSTRAINT "joint_proposal_units_proposal_id_joint_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."joint_proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_proposal_units" ADD CONSTRAINT "joint_proposal_units_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_proposals" ADD CONSTRAINT "joint_proposals_enterprise_code_enterprises_credit_code_fk" FOREIGN KEY ("enterprise_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_proposals" ADD CONSTRAINT "joint_proposals_list_id_joint_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."joint_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_proposals" ADD CONSTRAINT "joint_proposals_lead_agency_code_agencies_code_fk" FOREIGN KEY ("lead_agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_proposals" ADD CONSTRAINT "joint_proposals_joint_task_id_joint_tasks_id_fk" FOREIGN KEY ("joint_task_id") REFERENCES "public"."joint_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "joint_proposal_units_agency_idx" ON "joint_proposal_units" USING btree ("agency_code","state");--> statement-breakpoint
CREATE UNIQUE INDEX "joint_proposals_once_uq" ON "joint_proposals" USING btree ("period","enterprise_code","list_id","entry_code");--> statement-breakpoint
CREATE INDEX "joint_proposals_state_due_idx" ON "joint_proposals" USING btree ("state","respond_by");--> statement-breakpoint
CREATE INDEX "joint_proposals_lead_idx" ON "joint_proposals" USING btree ("lead_agency_code","state");