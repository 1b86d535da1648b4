import { integer, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core';

/**
 * The counts the sampling-ratio check of a class plan item reads (Art. 13 检查比例, src/plans/item-coverage.ts),
 * kept by a trigger on `inspections` (migration h-count-sampling-counts) in the transaction of every write that
 * changes them — issuance, cancellation, revocation, a merge, a recorded visit: whatever moves a row into or out
 * of COUNTED_STATES (src/frequency/facts.ts), or changes its agency, enterprise, matters, method or date.
 * Without them the check counts the agency's whole year on every issuance (~770 k rows for the largest bureau at
 * 10 M inspections). Counted as src/plans/coverage-facts.ts counted them: routine inspections only.
 *
 * One row per agency, matter, method, year and enterprise: the enterprise's counted routine visits.
 */
export const samplingCounts = pgTable(
  'sampling_counts',
  {
    agencyCode: text('agency_code').notNull(),
    matterCode: text('matter_code').notNull(),
    mode: text('mode', { enum: ['onsite', 'offsite'] }).notNull(),
    year: smallint('year').notNull(),
    enterpriseCode: text('enterprise_code').notNull(),
    visits: integer('visits').notNull(),
  },
  (t) => [primaryKey({ name: 'sampling_counts_pkey', columns: [t.agencyCode, t.matterCode, t.mode, t.year, t.enterpriseCode] })],
);

/** One row per agency, matter, method and year: how many distinct enterprises have at least one counted visit. */
export const samplingTotals = pgTable(
  'sampling_totals',
  {
    agencyCode: text('agency_code').notNull(),
    matterCode: text('matter_code').notNull(),
    mode: text('mode', { enum: ['onsite', 'offsite'] }).notNull(),
    year: smallint('year').notNull(),
    enterprises: integer('enterprises').notNull(),
  },
  (t) => [primaryKey({ name: 'sampling_totals_pkey', columns: [t.agencyCode, t.matterCode, t.mode, t.year] })],
);

/**
 * One row per district: its enterprises in scope of the Order — the population a district agency's class item
 * samples from (a city agency's is the sum). Kept by a trigger on `enterprises` (migration h-count-sampling-counts),
 * so the check reads a row instead of counting ~77 k index entries of a district at 1 M enterprises.
 */
export const samplingPopulations = pgTable('sampling_populations', {
  districtCode: text('district_code').primaryKey(),
  inScope: integer('in_scope').notNull(),
});
