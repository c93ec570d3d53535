-- Memberships carry copies of their user's created_at and kind, so that one index on the membership
-- table serves a member list's order (the people's order: created_at, id), its cursor and its
-- humans-only filter. The copies reference the user's own values, so they can never differ.
ALTER TABLE "users" ADD CONSTRAINT "users_id_created_at_kind_key" UNIQUE("id","created_at","kind");--> statement-breakpoint
ALTER TABLE "organization_memberships" ADD COLUMN "user_created_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organization_memberships" ADD COLUMN "user_kind" "user_kind";--> statement-breakpoint
ALTER TABLE "space_memberships" ADD COLUMN "user_created_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "space_memberships" ADD COLUMN "user_kind" "user_kind";--> statement-breakpoint
UPDATE "organization_memberships" AS "m" SET "user_created_at" = "u"."created_at", "user_kind" = "u"."kind" FROM "users" AS "u" WHERE "u"."id" = "m"."user_id";--> statement-breakpoint
UPDATE "space_memberships" AS "m" SET "user_created_at" = "u"."created_at", "user_kind" = "u"."kind" FROM "users" AS "u" WHERE "u"."id" = "m"."user_id";--> statement-breakpoint
ALTER TABLE "organization_memberships" ALTER COLUMN "user_created_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "organization_memberships" ALTER COLUMN "user_kind" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "space_memberships" ALTER COLUMN "user_created_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "space_memberships" ALTER COLUMN "user_kind" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "organization_memberships" ADD CONSTRAINT "organization_memberships_user_copies_fk" FOREIGN KEY ("user_id","user_created_at","user_kind") REFERENCES "public"."users"("id","created_at","kind") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "space_memberships" ADD CONSTRAINT "space_memberships_user_copies_fk" FOREIGN KEY ("user_id","user_created_at","user_kind") REFERENCES "public"."users"("id","created_at","kind") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "organization_memberships_list_idx" ON "organization_memberships" USING btree ("organization_id","user_created_at","user_id") WHERE "organization_memberships"."user_kind" = 'human';--> statement-breakpoint
CREATE INDEX "space_memberships_list_idx" ON "space_memberships" USING btree ("space_id","user_created_at","user_id") WHERE "space_memberships"."user_kind" = 'human';--> statement-breakpoint
CREATE INDEX "users_list_idx" ON "users" USING btree ("account_id","created_at","id") WHERE "users"."kind" = 'human';
