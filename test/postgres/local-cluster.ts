import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * A primary and a synchronous standby on this machine, from Debian's PostgreSQL server binaries (initdb,
 * pg_ctl, pg_basebackup, streaming replication), for the failover test. Data directories live in one temp
 * folder; under root every server command runs as the `postgres` user (initdb refuses root). `destroy()`
 * stops both servers and removes the folder whatever happened.
 *
 * fsync is off: the test kills a server process (pg_ctl stop -m immediate), not the machine, so what was
 * written reached the operating system and survives, and the disk is spared.
 */
const TOOLS = ['initdb', 'pg_ctl', 'pg_basebackup'];

/** The newest /usr/lib/postgresql/<major>/bin holding the tools, or undefined. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  for (const m of majors) {
    const bin = join(root, m, 'bin');
    if (TOOLS.every((t) => existsSync(join(bin, t)))) return bin;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Node {
  dir: string;
  port: number;
  log: string;
}

export class LocalCluster {
  private constructor(
    private readonly bin: string,
    readonly root: string,
    readonly primary: Node,
    readonly standby: Node,
    private readonly asUser: string[],
  ) {}

  static async create(bin: string, database: string): Promise<LocalCluster> {
    const root = await mkdtemp(join(tmpdir(), 'wh327-cluster-'));
    const asUser: string[] = [];
    if (process.getuid?.() === 0) {
      const { stdout: uid } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      await chown(root, Number(uid), Number(gid));
      asUser.push('runuser', '-u', 'postgres', '--');
    }
    const [pp, sp] = [await freePort(), await freePort()];
    const cluster = new LocalCluster(bin, root, { dir: join(root, 'primary'), port: pp, log: join(root, 'primary.log') }, { dir: join(root, 'standby'), port: sp, log: join(root, 'standby.log') }, asUser);
    try {
      await cluster.startPrimary(database);
      await cluster.startStandby();
    } catch (err) {
      await cluster.destroy();
      throw err;
    }
    return cluster;
  }

  private async sh(tool: string, args: string[]): Promise<string> {
    const [cmd, ...rest] = this.asUser.length ? [...this.asUser, join(this.bin, tool), ...args] : [join(this.bin, tool), ...args];
    const { stdout } = await run(cmd!, rest, { cwd: this.root, timeout: 60_000 });
    return stdout;
  }

  url(node: Node, database: string): string {
    return `postgres://postgres@127.0.0.1:${node.port}/${database}`;
  }

  private async startPrimary(database: string): Promise<void> {
    await this.sh('initdb', ['-D', this.primary.dir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    await appendFile(
      join(this.primary.dir, 'postgresql.conf'),
      [
        '',
        "listen_addresses = '127.0.0.1'",
        `port = ${this.primary.port}`,
        `unix_socket_directories = '${this.root}'`,
        'wal_level = replica',
        'max_wal_senders = 4',
        'wal_keep_size = 128MB',
        'hot_standby = on',
        'fsync = off',
        'shared_buffers = 32MB',
        'max_connections = 60',
        '',
      ].join('\n'),
    );
    await this.sh('pg_ctl', ['-D', this.primary.dir, '-l', this.primary.log, '-w', '-t', '30', 'start']);
    const admin = new pg.Client({ connectionString: this.url(this.primary, 'postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
  }

  private async startStandby(): Promise<void> {
    const conninfo = `host=127.0.0.1 port=${this.primary.port} user=postgres application_name=standby1`;
    await this.sh('pg_basebackup', ['-d', conninfo, '-D', this.standby.dir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
    // -R wrote standby.signal and a primary_conninfo; the one here names the standby for synchronous_standby_names.
    await appendFile(join(this.standby.dir, 'postgresql.conf'), `\nport = ${this.standby.port}\nprimary_conninfo = '${conninfo}'\n`);
    await this.sh('pg_ctl', ['-D', this.standby.dir, '-l', this.standby.log, '-w', '-t', '30', 'start']);
    // Synchronous from here on: a commit is acknowledged once the standby has it on disk. Set after the base
    // backup, so the standby's own configuration does not wait for a standby of its own once promoted.
    const admin = new pg.Client({ connectionString: this.url(this.primary, 'postgres') });
    await admin.connect();
    try {
      await admin.query(`ALTER SYSTEM SET synchronous_standby_names = 'standby1'`);
      await admin.query('SELECT pg_reload_conf()');
      for (let i = 0; i < 100; i++) {
        const { rows } = await admin.query<{ sync_state: string }>(`SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'`);
        if (rows[0]?.sync_state === 'sync') return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the standby did not become synchronous');
    } finally {
      await admin.end();
    }
  }

  /** The machine's primary dies: no shutdown checkpoint, connections cut. */
  killPrimary(): Promise<string> {
    return this.sh('pg_ctl', ['-D', this.primary.dir, '-m', 'immediate', '-w', 'stop']);
  }

  /** The standby becomes the primary (waits until it accepts writes). */
  promoteStandby(): Promise<string> {
    return this.sh('pg_ctl', ['-D', this.standby.dir, '-w', '-t', '30', 'promote']);
  }

  async destroy(): Promise<void> {
    for (const node of [this.primary, this.standby]) {
      if (existsSync(join(node.dir, 'postmaster.pid'))) await this.sh('pg_ctl', ['-D', node.dir, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    }
    await rm(this.root, { recursive: true, force: true });
  }
}

