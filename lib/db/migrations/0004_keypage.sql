CREATE TABLE "api_key_addresses" (
	"api_key_id" uuid NOT NULL,
	"address" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"requests" bigint NOT NULL,
	"user_agent" text,
	CONSTRAINT "api_key_addresses_api_key_id_address_pk" PRIMARY KEY("api_key_id","address")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "revoked_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "revocation_reason" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "refreshed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_secret_last_used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_key_addresses" ADD CONSTRAINT "api_key_addresses_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_key_addresses_recent_idx" ON "api_key_addresses" USING btree ("api_key_id","last_seen_at");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_revoked_by_user_id_users_id_fk" FOREIGN KEY ("revoked_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;