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
CREATE UNIQUE INDEX "admin_alerts_kind_key_uq" ON "admin_alerts" USING btree ("kind","key");--> statement-breakpoint
CREATE INDEX "admin_alerts_open_idx" ON "admin_alerts" USING btree ("resolved_at","raised_at");--> statement-breakpoint
CREATE INDEX "referrals_due_pending_idx" ON "referrals" USING btree ("due_pending_year");--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_due_date_or_pending_ck" CHECK (("referrals"."due_date" IS NULL) <> ("referrals"."due_pending_year" IS NULL));