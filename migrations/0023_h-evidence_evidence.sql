CREATE TABLE "inspection_evidence" (
	"id" uuid PRIMARY KEY NOT NULL,
	"inspection_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"note" text,
	"captured_at" timestamp with time zone,
	"captured_at_source" text,
	"latitude" double precision,
	"longitude" double precision,
	"accuracy_m" double precision,
	"location_source" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_evidence_files" (
	"evidence_id" uuid PRIMARY KEY NOT NULL,
	"data" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_record_signatures" (
	"inspection_id" uuid PRIMARY KEY NOT NULL,
	"signer_name" text NOT NULL,
	"signer_role" text NOT NULL,
	"signature_png" "bytea" NOT NULL,
	"signature_sha256" text NOT NULL,
	"findings_sha256" text NOT NULL,
	"signed_by" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "enterprises" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "enterprises" ADD COLUMN "longitude" double precision;--> statement-breakpoint
ALTER TABLE "code_scans" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "code_scans" ADD COLUMN "longitude" double precision;--> statement-breakpoint
ALTER TABLE "code_scans" ADD COLUMN "accuracy_m" double precision;--> statement-breakpoint
ALTER TABLE "code_scans" ADD COLUMN "distance_m" double precision;--> statement-breakpoint
ALTER TABLE "inspection_evidence" ADD CONSTRAINT "inspection_evidence_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_evidence_files" ADD CONSTRAINT "inspection_evidence_files_evidence_id_inspection_evidence_id_fk" FOREIGN KEY ("evidence_id") REFERENCES "public"."inspection_evidence"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_record_signatures" ADD CONSTRAINT "inspection_record_signatures_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inspection_evidence_inspection_idx" ON "inspection_evidence" USING btree ("inspection_id","created_at");