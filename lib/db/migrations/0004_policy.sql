CREATE TYPE "public"."leak_action" AS ENUM('revoke', 'notify');--> statement-breakpoint
CREATE TABLE "api_key_expiry_warnings" (
	"api_key_id" uuid NOT NULL,
	"threshold_days" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"notified" boolean NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "api_key_expiry_warnings_api_key_id_threshold_days_expires_at_pk" PRIMARY KEY("api_key_id","threshold_days","expires_at")
);
--> statement-breakpoint
CREATE TABLE "key_policies" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"max_user_lifetime_days" integer,
	"max_service_lifetime_days" integer,
	"default_user_lifetime_days" integer,
	"default_service_lifetime_days" integer,
	"warning_days" jsonb NOT NULL,
	"leak_action" "leak_action" DEFAULT 'revoke' NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by_user_id" uuid
);
--> statement-breakpoint
ALTER TABLE "api_key_expiry_warnings" ADD CONSTRAINT "api_key_expiry_warnings_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_policies" ADD CONSTRAINT "key_policies_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_policies" ADD CONSTRAINT "key_policies_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;