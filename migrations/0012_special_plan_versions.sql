CREATE TABLE "special_plan_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"special_plan_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"title" text NOT NULL,
	"focus" text NOT NULL,
	"matter_codes" text[] NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"approver_kind" text,
	"approver_name" text,
	"approval_doc_no" text,
	"filing_bureau_code" text,
	"upper_authority_code" text,
	"filed_at" timestamp with time zone NOT NULL,
	"filed_by" text NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "special_plans" ADD COLUMN "returned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "special_plans" ADD COLUMN "amendment_reason" text;--> statement-breakpoint
ALTER TABLE "special_plans" ADD COLUMN "amended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "special_plan_versions" ADD CONSTRAINT "special_plan_versions_special_plan_id_special_plans_id_fk" FOREIGN KEY ("special_plan_id") REFERENCES "public"."special_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "special_plan_versions_plan_revision_uq" ON "special_plan_versions" USING btree ("special_plan_id","revision");--> statement-breakpoint
-- Backfill: every special plan already filed keeps its filed content as revision 1 (Art. 14).
INSERT INTO "special_plan_versions" ("id", "special_plan_id", "revision", "title", "focus", "matter_codes", "start_date", "end_date",
  "approver_kind", "approver_name", "approval_doc_no", "filing_bureau_code", "upper_authority_code", "filed_at", "filed_by", "published_at")
SELECT gen_random_uuid(), s."id", s."revision", s."title", s."focus", s."matter_codes", s."start_date", s."end_date",
  s."approver_kind", s."approver_name", s."approval_doc_no", s."filing_bureau_code", s."upper_authority_code", s."filed_at", 'migration', s."published_at"
FROM "special_plans" s WHERE s."filed_at" IS NOT NULL;
