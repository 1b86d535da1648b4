-- The switch to append MACs, recorded once: the first chain position sealed in a format that carries a MAC
-- (format 2 or 3), or the next position when every row so far is format 1 (or the chain is empty). From it
-- on, a format-1 row is forged (src/audit/chain-walk.ts). Checkpoints sign it, so moving it shows.
INSERT INTO audit_format_switch (id, mac_from)
SELECT 1, coalesce((SELECT min(seq) FROM audit_chain WHERE format <> 1), (SELECT max(seq) + 1 FROM audit_chain), 1);
--> statement-breakpoint
CREATE TRIGGER audit_format_switch_append_only BEFORE UPDATE OR DELETE ON audit_format_switch
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_format_switch_no_truncate BEFORE TRUNCATE ON audit_format_switch
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
