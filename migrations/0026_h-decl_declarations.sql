CREATE TABLE "agency_relations" (
	"agency_code" text NOT NULL,
	"enterprise_code" text NOT NULL,
	"relation" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "declarations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"agency_code" text NOT NULL,
	"enterprise_code" text,
	"district_code" text,
	"declared_by" text NOT NULL,
	"declared_by_name" text,
	"declared_at" timestamp with time zone NOT NULL,
	"value" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"review_note" text,
	"flag_id" uuid
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "state_asset_supervisor" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "agency_relations" ADD CONSTRAINT "agency_relations_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_relations" ADD CONSTRAINT "agency_relations_enterprise_code_enterprises_credit_code_fk" FOREIGN KEY ("enterprise_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "declarations" ADD CONSTRAINT "declarations_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agency_relations_uq" ON "agency_relations" USING btree ("enterprise_code","relation","agency_code");--> statement-breakpoint
CREATE INDEX "agency_relations_agency_idx" ON "agency_relations" USING btree ("agency_code");--> statement-breakpoint
CREATE UNIQUE INDEX "declarations_subject_uq" ON "declarations" USING btree ("kind","subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "declarations_agency_idx" ON "declarations" USING btree ("agency_code","declared_at");--> statement-breakpoint
CREATE INDEX "declarations_status_idx" ON "declarations" USING btree ("status","declared_at");