CREATE TABLE "webhook_dead_letters" (
	"client_id" text NOT NULL,
	"position" bigint NOT NULL,
	"event_id" uuid NOT NULL,
	"action" text NOT NULL,
	"attempts" integer NOT NULL,
	"last_status" integer,
	"last_error" text,
	"dead_at" timestamp with time zone NOT NULL,
	"redelivered_at" timestamp with time zone,
	CONSTRAINT "webhook_dead_letters_client_id_position_pk" PRIMARY KEY("client_id","position")
);
--> statement-breakpoint
ALTER TABLE "webhook_dead_letters" ADD CONSTRAINT "webhook_dead_letters_client_id_platform_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."platform_clients"("id") ON DELETE no action ON UPDATE no action;