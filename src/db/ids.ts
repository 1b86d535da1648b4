import { v7 } from 'uuid';

/**
 * Primary keys for the tables that grow with every inspection (inspections, flags): UUIDv7, whose
 * leading 48 bits are the creation time in milliseconds. New keys land at the right edge of the primary-key
 * B-tree instead of a random page, so the index's working set stays small at tens of millions of rows
 * (measured in docs/BENCHMARKS.md: random v4 keys slowed the 10 M seed to ~2 k rows/s once the index outgrew
 * shared buffers). Still a uuid column; old v4 keys stay valid beside them.
 */
export function newRowId(): string {
  return v7();
}
