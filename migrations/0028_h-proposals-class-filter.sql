ALTER TABLE "enterprises" ADD COLUMN "industry_code" text;--> statement-breakpoint
ALTER TABLE "enterprises" ADD COLUMN "licence_kinds" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_items" ADD COLUMN "class_filter" jsonb;