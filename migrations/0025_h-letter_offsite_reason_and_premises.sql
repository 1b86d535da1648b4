ALTER TABLE "enterprises" ADD COLUMN "premises_district_codes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "offsite_follow_up_reason" text;