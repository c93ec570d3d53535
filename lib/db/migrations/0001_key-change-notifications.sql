-- Caches of verified API keys (lib/keys/verification-cache.ts) drop what changed when told on this
-- channel. The notification is sent by triggers, so it is part of the transaction that makes the
-- change: it is delivered if and only if the change commits, whatever code path (API, admin script,
-- plain SQL) made it. Payloads: `k:<api key id>`, `u:<user id>`, or `*` (drop everything).
CREATE OR REPLACE FUNCTION keydesk_notify_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('keydesk_key_changes', '*');
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF TG_TABLE_NAME = 'api_keys' THEN
    PERFORM pg_notify('keydesk_key_changes', 'k:' || r.id);
  ELSIF TG_TABLE_NAME = 'api_key_secrets' THEN
    PERFORM pg_notify('keydesk_key_changes', 'k:' || r.api_key_id);
  ELSIF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('keydesk_key_changes', 'u:' || r.id);
  ELSE
    PERFORM pg_notify('keydesk_key_changes', 'u:' || r.user_id);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A key's status or owner (last_used_at writes, once a minute per key, notify nobody).
CREATE TRIGGER api_keys_notify_change AFTER UPDATE ON api_keys FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.user_id IS DISTINCT FROM NEW.user_id
        OR OLD.key_type IS DISTINCT FROM NEW.key_type OR OLD.account_id IS DISTINCT FROM NEW.account_id)
  EXECUTE FUNCTION keydesk_notify_key_change();
--> statement-breakpoint
CREATE TRIGGER api_keys_notify_delete AFTER DELETE ON api_keys FOR EACH ROW
  EXECUTE FUNCTION keydesk_notify_key_change();
--> statement-breakpoint
-- A secret's end of life (refresh shortens the old one to its grace end) or its removal.
CREATE TRIGGER api_key_secrets_notify_change AFTER UPDATE OR DELETE ON api_key_secrets FOR EACH ROW
  EXECUTE FUNCTION keydesk_notify_key_change();
--> statement-breakpoint
-- Blocking, role and profile changes of the user a key acts as.
CREATE TRIGGER users_notify_change AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.account_role IS DISTINCT FROM NEW.account_role
        OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.name IS DISTINCT FROM NEW.name
        OR OLD.email IS DISTINCT FROM NEW.email OR OLD.account_id IS DISTINCT FROM NEW.account_id)
  EXECUTE FUNCTION keydesk_notify_key_change();
--> statement-breakpoint
CREATE TRIGGER users_notify_delete AFTER DELETE ON users FOR EACH ROW
  EXECUTE FUNCTION keydesk_notify_key_change();
--> statement-breakpoint
CREATE TRIGGER organization_memberships_notify_change
  AFTER INSERT OR UPDATE OR DELETE ON organization_memberships FOR EACH ROW
  EXECUTE FUNCTION keydesk_notify_key_change();
--> statement-breakpoint
CREATE TRIGGER space_memberships_notify_change
  AFTER INSERT OR UPDATE OR DELETE ON space_memberships FOR EACH ROW
  EXECUTE FUNCTION keydesk_notify_key_change();
--> statement-breakpoint
-- Organizations and spaces appear in every cached principal of their account: drop everything.
CREATE TRIGGER organizations_notify_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organizations FOR EACH STATEMENT
  EXECUTE FUNCTION keydesk_notify_key_change();
--> statement-breakpoint
CREATE TRIGGER spaces_notify_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON spaces FOR EACH STATEMENT
  EXECUTE FUNCTION keydesk_notify_key_change();
