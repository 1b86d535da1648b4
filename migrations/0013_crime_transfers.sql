CREATE TABLE "crime_transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"enterprise_code" text NOT NULL,
	"inspection_id" uuid,
	"description" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"found_on" date NOT NULL,
	"document_no" text NOT NULL,
	"receiving_organ" text NOT NULL,
	"approved_by" text NOT NULL,
	"transferred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crime_transfers" ADD CONSTRAINT "crime_transfers_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crime_transfers" ADD CONSTRAINT "crime_transfers_enterprise_code_enterprises_credit_code_fk" FOREIGN KEY ("enterprise_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crime_transfers" ADD CONSTRAINT "crime_transfers_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "crime_transfers_document_uq" ON "crime_transfers" USING btree ("agency_code","document_no");--> statement-breakpoint
CREATE INDEX "crime_transfers_enterprise_idx" ON "crime_transfers" USING btree ("enterprise_code");--> statement-breakpoint
CREATE INDEX "crime_transfers_inspection_idx" ON "crime_transfers" USING btree ("inspection_id");