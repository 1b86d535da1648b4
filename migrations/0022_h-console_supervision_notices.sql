CREATE TABLE "supervision_notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"flag_id" uuid NOT NULL,
	"agency_code" text NOT NULL,
	"district_code" text,
	"issued_by_agency" text NOT NULL,
	"issued_by" text NOT NULL,
	"issued_by_name" text,
	"issued_at" timestamp with time zone NOT NULL,
	"due_date" text NOT NULL,
	"request" text NOT NULL,
	"state" text NOT NULL,
	"answer" text,
	"answered_by" text,
	"answered_by_name" text,
	"answered_at" timestamp with time zone,
	"review_note" text,
	"reviewed_by" text,
	"reviewed_by_name" text,
	"reviewed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "flags" ADD COLUMN "reviewed_by_name" text;--> statement-breakpoint
ALTER TABLE "supervision_notices" ADD CONSTRAINT "supervision_notices_flag_id_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."flags"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_notices" ADD CONSTRAINT "supervision_notices_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "supervision_notices_agency_idx" ON "supervision_notices" USING btree ("agency_code","state");--> statement-breakpoint
CREATE INDEX "supervision_notices_flag_idx" ON "supervision_notices" USING btree ("flag_id");--> statement-breakpoint
CREATE INDEX "supervision_notices_due_idx" ON "supervision_notices" USING btree ("state","due_date");