CREATE TABLE "api_key_leak_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"api_key_id" uuid NOT NULL,
	"digest" text NOT NULL,
	"source" text NOT NULL,
	"url" text NOT NULL,
	"location" text,
	"current_secret" boolean NOT NULL,
	"outcome" text NOT NULL,
	"reported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_key_leak_reports" ADD CONSTRAINT "api_key_leak_reports_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_key_leak_reports_once" ON "api_key_leak_reports" USING btree ("digest","source","url");--> statement-breakpoint
CREATE INDEX "api_key_leak_reports_key_idx" ON "api_key_leak_reports" USING btree ("api_key_id","reported_at");