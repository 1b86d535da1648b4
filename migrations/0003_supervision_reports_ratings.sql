CREATE TABLE "enterprise_report_photos" (
	"report_id" uuid PRIMARY KEY NOT NULL,
	"data" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprise_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_code" text NOT NULL,
	"district_code" text NOT NULL,
	"visited_at" timestamp with time zone NOT NULL,
	"agency_text" text,
	"agency_code" text,
	"description" text NOT NULL,
	"code_shown" text,
	"prohibitions" text[] DEFAULT '{}' NOT NULL,
	"valid_code" text,
	"photo_content_type" text,
	"photo_bytes" integer,
	"photo_sha256" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_ratings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"inspection_id" uuid NOT NULL,
	"enterprise_code" text NOT NULL,
	"agency_code" text NOT NULL,
	"score" integer NOT NULL,
	"comment" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "inspection_ratings_score_ck" CHECK ("inspection_ratings"."score" BETWEEN 1 AND 5)
);
--> statement-breakpoint
ALTER TABLE "enterprise_report_photos" ADD CONSTRAINT "enterprise_report_photos_report_id_enterprise_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."enterprise_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_reports" ADD CONSTRAINT "enterprise_reports_enterprise_code_enterprises_credit_code_fk" FOREIGN KEY ("enterprise_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_reports" ADD CONSTRAINT "enterprise_reports_district_code_districts_code_fk" FOREIGN KEY ("district_code") REFERENCES "public"."districts"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_reports" ADD CONSTRAINT "enterprise_reports_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_ratings" ADD CONSTRAINT "inspection_ratings_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enterprise_reports_enterprise_idx" ON "enterprise_reports" USING btree ("enterprise_code","created_at");--> statement-breakpoint
CREATE INDEX "enterprise_reports_district_idx" ON "enterprise_reports" USING btree ("district_code","created_at");--> statement-breakpoint
CREATE INDEX "enterprise_reports_agency_idx" ON "enterprise_reports" USING btree ("agency_code");--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_ratings_inspection_uq" ON "inspection_ratings" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "inspection_ratings_agency_idx" ON "inspection_ratings" USING btree ("agency_code","created_at");--> statement-breakpoint
CREATE INDEX "inspection_ratings_enterprise_idx" ON "inspection_ratings" USING btree ("enterprise_code");