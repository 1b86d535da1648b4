CREATE TABLE "frequency_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"xact" bigint NOT NULL,
	"enterprise_code" text,
	"frequency_rule_id" uuid,
	"agency_code" text
);
--> statement-breakpoint
CREATE TABLE "sweep_watermarks" (
	"job" text PRIMARY KEY NOT NULL,
	"xact" bigint NOT NULL,
	"snapshot" text NOT NULL,
	"passed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "frequency_changes_xact_idx" ON "frequency_changes" USING btree ("xact");--> statement-breakpoint
CREATE INDEX "inspection_codes_issued_idx" ON "inspection_codes" USING btree ("issued_at");--> statement-breakpoint
CREATE INDEX "inspections_unarchived_idx" ON "inspections" USING btree ("result_notified_at","id") WHERE "inspections"."archived_at" IS NULL AND "inspections"."result_notified_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "inspections_case_date_idx" ON "inspections" USING btree ("counted_date","id") WHERE "inspections"."kind" = 'case';--> statement-breakpoint
-- The frequency detectors' change log (src/db/schema/sweeper.ts, src/sweeper/frequency-watermark.ts): every
-- write that could push an (enterprise, agency, threshold, period) group over its threshold names what it touched,
-- in its own transaction and whatever the route (commands, imports, a hand-written UPDATE). Statement-level with
-- transition tables so that an import of many rows writes one row per enterprise, not per inspection.
CREATE OR REPLACE FUNCTION frequency_inspections_inserted() RETURNS trigger AS $$
BEGIN
  INSERT INTO frequency_changes (xact, enterprise_code)
    SELECT DISTINCT pg_current_xact_id()::text::bigint, n.enterprise_code FROM new_rows n;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Only the columns the count and the candidates' SQL read (src/rules/declarations/frequency.ts countedOnRecord,
-- src/sweeper/counts-over-threshold.ts); a deletion only lowers a count and is not logged.
CREATE OR REPLACE FUNCTION frequency_inspections_updated() RETURNS trigger AS $$
BEGIN
  INSERT INTO frequency_changes (xact, enterprise_code)
    SELECT DISTINCT pg_current_xact_id()::text::bigint, n.enterprise_code
      FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE (o.state, o.kind, o.mode, o.counts_toward_cap, o.counted_date, o.matter_codes, o.agency_code,
            o.enterprise_code, o.excluded_relation, o.entity_scope)
           IS DISTINCT FROM
           (n.state, n.kind, n.mode, n.counts_toward_cap, n.counted_date, n.matter_codes, n.agency_code,
            n.enterprise_code, n.excluded_relation, n.entity_scope);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER inspections_frequency_inserted AFTER INSERT ON inspections
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION frequency_inspections_inserted();
--> statement-breakpoint
CREATE TRIGGER inspections_frequency_updated AFTER UPDATE ON inspections
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION frequency_inspections_updated();
--> statement-breakpoint
-- A graded threshold reaches an enterprise by its risk class.
CREATE OR REPLACE FUNCTION frequency_enterprise_reclassed() RETURNS trigger AS $$
BEGIN
  INSERT INTO frequency_changes (xact, enterprise_code) VALUES (pg_current_xact_id()::text::bigint, NEW.credit_code);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER enterprises_frequency_reclassed AFTER UPDATE OF risk_class, credit_code ON enterprises
  FOR EACH ROW WHEN (OLD.risk_class IS DISTINCT FROM NEW.risk_class OR OLD.credit_code IS DISTINCT FROM NEW.credit_code)
  EXECUTE FUNCTION frequency_enterprise_reclassed();
--> statement-breakpoint
-- A threshold created or changed (scope, period, maximum, modes, risk class, effective dates, retirement) is
-- counted again over every enterprise; a deleted one raises nothing new.
CREATE OR REPLACE FUNCTION frequency_rule_changed() RETURNS trigger AS $$
BEGIN
  INSERT INTO frequency_changes (xact, frequency_rule_id) VALUES (pg_current_xact_id()::text::bigint, NEW.id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER frequency_rules_changed AFTER INSERT OR UPDATE ON frequency_rules
  FOR EACH ROW EXECUTE FUNCTION frequency_rule_changed();
--> statement-breakpoint
-- A matter's domain decides what a domain-scoped threshold counts: a new version or a changed domain makes the
-- agency's domain-scoped groups candidates again. A deleted version only narrows the domains.
CREATE OR REPLACE FUNCTION frequency_matter_changed() RETURNS trigger AS $$
BEGIN
  INSERT INTO frequency_changes (xact, agency_code) VALUES (pg_current_xact_id()::text::bigint, NEW.agency_code);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER inspection_matters_frequency_inserted AFTER INSERT ON inspection_matters
  FOR EACH ROW EXECUTE FUNCTION frequency_matter_changed();
--> statement-breakpoint
CREATE TRIGGER inspection_matters_frequency_updated AFTER UPDATE ON inspection_matters
  FOR EACH ROW WHEN ((OLD.agency_code, OLD.matter_code, OLD.domain) IS DISTINCT FROM (NEW.agency_code, NEW.matter_code, NEW.domain))
  EXECUTE FUNCTION frequency_matter_changed();
