-- Art. 35 asks for the legal AND the technical review, in no order. Until now the technical review could only
-- follow the legal one, so `technical_reviewed` meant "both passed". It now means "the technical review alone
-- has passed", and "both passed" is `reviewed`: rename the old meaning in rows and in their state logs.
UPDATE "monitoring_devices" SET "state" = 'reviewed' WHERE "state" = 'technical_reviewed';--> statement-breakpoint
UPDATE "monitoring_devices"
SET "state_log" = (
  SELECT jsonb_agg(CASE WHEN e->>'state' = 'technical_reviewed' THEN jsonb_set(e, '{state}', '"reviewed"') ELSE e END ORDER BY o)
  FROM jsonb_array_elements("state_log") WITH ORDINALITY AS x(e, o)
)
WHERE "state_log" @> '[{"state":"technical_reviewed"}]'::jsonb;
