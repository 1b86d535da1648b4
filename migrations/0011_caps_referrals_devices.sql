ALTER TABLE "frequency_rules" ADD COLUMN "modes" text[] DEFAULT '{"onsite"}' NOT NULL;--> statement-breakpoint
ALTER TABLE "no_disturb_list" ADD COLUMN "basis" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "monitoring_devices" ADD COLUMN "state_log" jsonb DEFAULT '[]'::jsonb NOT NULL;