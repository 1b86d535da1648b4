ALTER TABLE "frequency_rules" ADD COLUMN "modes" text[] DEFAULT '{"onsite"}' NOT NULL;--> statement-breakpoint
ALTER TABLE "no_disturb_list" ADD COLUMN "basis" text DEFAULT '' NOT NULL;