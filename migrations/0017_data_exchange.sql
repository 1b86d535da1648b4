CREATE TABLE "domain_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"agency_code" text,
	"enterprise_code" text,
	"district_code" text,
	"data" jsonb NOT NULL,
	"audit_entry_id" bigint NOT NULL,
	CONSTRAINT "domain_events_id_unique" UNIQUE("id"),
	CONSTRAINT "domain_events_audit_entry_id_unique" UNIQUE("audit_entry_id")
);
--> statement-breakpoint
CREATE TABLE "platform_clients" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source_system" text NOT NULL,
	"secret_hash" text NOT NULL,
	"event_types" text[] NOT NULL,
	"agencies" text[] NOT NULL,
	"import_agencies" text[] NOT NULL,
	"webhook_url" text,
	"webhook_secret" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "platform_clients_source_system_unique" UNIQUE("source_system")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"client_id" text PRIMARY KEY NOT NULL,
	"cursor" bigint DEFAULT 0 NOT NULL,
	"delivered" bigint DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_status" integer,
	"last_error" text,
	"last_attempt_at" timestamp with time zone,
	"last_delivered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "source_system" text;--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "source_id" text;--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "source_version" integer;--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "source_hash" text;--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "source_code" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_client_id_platform_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."platform_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inspections_source_uq" ON "inspections" USING btree ("source_system","source_id");--> statement-breakpoint
-- The outbox is append-only like the audit log whose entries it offers: a sent event is never rewritten.
CREATE TRIGGER domain_events_append_only BEFORE UPDATE OR DELETE ON domain_events
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER domain_events_no_truncate BEFORE TRUNCATE ON domain_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
