CREATE TABLE "audit_format_switch" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"mac_from" bigint NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD COLUMN "mac_from" bigint;--> statement-breakpoint
ALTER TABLE "audit_verifications" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_verifications" ADD COLUMN "head_hash" text;