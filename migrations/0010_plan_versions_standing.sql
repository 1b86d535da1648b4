CREATE TABLE "plan_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"filed_by" text NOT NULL,
	"items" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "vertically_managed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "submitted_on" date;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "submitted_late" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "returned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "resubmit_by" date;--> statement-breakpoint
ALTER TABLE "special_plans" ADD COLUMN "deployment_authority" text;--> statement-breakpoint
ALTER TABLE "special_plans" ADD COLUMN "deployment_doc_no" text;--> statement-breakpoint
ALTER TABLE "special_plans" ADD COLUMN "revision" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "special_plans" ADD COLUMN "returned_reason" text;--> statement-breakpoint
ALTER TABLE "special_plans" ADD COLUMN "upper_authority_code" text;--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "plan_coverage" jsonb;--> statement-breakpoint
ALTER TABLE "plan_versions" ADD CONSTRAINT "plan_versions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plan_versions_plan_revision_uq" ON "plan_versions" USING btree ("plan_id","revision");--> statement-breakpoint
-- Backfill: plans submitted before this migration count from their recorded submission (Art. 13).
UPDATE "plans" SET "submitted_on" = ("submitted_at" AT TIME ZONE 'Asia/Shanghai')::date WHERE "submitted_at" IS NOT NULL;--> statement-breakpoint
UPDATE "plans" SET "submitted_late" = true WHERE "submitted_on" > "deadline";--> statement-breakpoint
-- The version in force of every plan filed and not awaiting refiling (Art. 14 ¶2).
INSERT INTO "plan_versions" ("id", "plan_id", "revision", "filed_at", "filed_by", "items")
SELECT gen_random_uuid(), p."id", p."revision", p."filed_at", coalesce(p."filed_by", 'migration'),
       coalesce((SELECT jsonb_agg(jsonb_build_object(
         'id', i."id", 'matterCode', i."matter_code", 'legalBasis', i."legal_basis", 'targetKind', i."target_kind",
         'targetEnterprises', to_jsonb(i."target_enterprises"), 'targetClass', i."target_class",
         'samplingRatio', i."sampling_ratio"::float8, 'checkItems', to_jsonb(i."check_items"), 'method', i."method",
         'frequency', i."frequency", 'necessity', i."necessity") ORDER BY i."id")
         FROM "plan_items" i WHERE i."plan_id" = p."id"), '[]'::jsonb)
FROM "plans" p WHERE p."filed_at" IS NOT NULL AND p."needs_refiling" = false;
