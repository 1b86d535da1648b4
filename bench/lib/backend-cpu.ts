import { readFileSync } from 'node:fs';
import pg from 'pg';

/**
 * CPU time of the PostgreSQL backends serving one database, read from /proc/<pid>/stat (utime + stime) of each
 * backend pg_stat_activity lists for it — so it works only when the server runs on this machine; elsewhere the
 * map is empty and the figure says so. Parallel workers live within one query and are not listed between
 * queries; the walks measured here plan none (their pages stay under parallel_setup_cost).
 */
export async function backendCpuSeconds(connectionString: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    const ticks = clockTicks();
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpu.set(pid, (Number(f[11]) + Number(f[12])) / ticks);
      } catch {
        // Another machine's server, or the backend ended.
      }
    }
    return cpu;
  } finally {
    await client.end();
  }
}

/** Seconds of backend CPU between two readings (backends that appeared in between count from zero). */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let s = 0;
  for (const [pid, v] of after) s += v - (before.get(pid) ?? 0);
  return s;
}

// USER_HZ is 100 on every Linux this runs on (getconf CLK_TCK); /proc/<pid>/stat counts in it.
const clockTicks = () => 100;
