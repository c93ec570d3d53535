ALTER TYPE "public"."user_status" ADD VALUE 'invited';--> statement-breakpoint
ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_space_id_spaces_id_fk";
--> statement-breakpoint
ALTER TABLE "spaces" ADD COLUMN "is_private" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "is_developer" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "password_change_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "invite_mode" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "invite_token_digest" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "invite_token_purpose" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "invite_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_account_idx" ON "audit_log" USING btree ("account_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_account_name_key" ON "organizations" USING btree ("account_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "spaces_organization_name_key" ON "spaces" USING btree ("organization_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "users_invite_token_digest_key" ON "users" USING btree ("invite_token_digest");