import pg from 'pg';

/**
 * libpq's multi-host connection strings for node-postgres, which takes one host only:
 * `postgres://app@db1:5432,db2:5432/wh327?target_session_attrs=read-write` lists the primary and its
 * standbys; a new connection goes to the first host that answers (and, with `read-write`, accepts writes),
 * so after a failover (the standby promoted) the pool's new connections reach the new primary without a
 * restart or a configuration change. The host found is remembered until a connection to it fails or ends,
 * so a healthy pool pays one probe, not one per connection.
 */
export interface HostTarget {
  host: string;
  port: number;
}

export interface ParsedHosts {
  /** One single-host URL per listed host, in order, without `target_session_attrs` (pg does not know it). */
  urls: string[];
  targets: HostTarget[];
  /** libpq's values; `read-write` and `primary` both mean "not a standby, writes accepted". */
  targetSessionAttrs: 'any' | 'read-write' | 'primary';
}

const URL_SHAPE = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/;

/** Splits a (possibly multi-host) URL; a single host without target_session_attrs yields one URL unchanged. */
export function parseHosts(url: string): ParsedHosts {
  const m = URL_SHAPE.exec(url);
  if (!m) return { urls: [url], targets: [], targetSessionAttrs: 'any' };
  const [, scheme, auth = '', hostList = '', rest = ''] = m;
  let attrs: ParsedHosts['targetSessionAttrs'] = 'any';
  const [path = '', query] = rest.split('?', 2) as [string, string | undefined];
  let kept = '';
  if (query !== undefined) {
    const params = new URLSearchParams(query);
    const value = params.get('target_session_attrs');
    if (value === 'read-write' || value === 'primary') attrs = value;
    else if (value !== null && value !== 'any') throw new Error(`target_session_attrs=${value} is not supported (any, read-write, primary)`);
    params.delete('target_session_attrs');
    kept = params.size > 0 ? `?${params.toString()}` : '';
  }
  const hosts = hostList.split(',').filter(Boolean);
  const targets = hosts.map((h) => {
    const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(h);
    if (v6) return { host: v6[1]!, port: Number(v6[2] ?? 5432) };
    const [host, port] = h.split(':');
    return { host: host!, port: Number(port ?? 5432) };
  });
  return { urls: hosts.map((h) => `${scheme}${auth}${h}${path}${kept}`), targets, targetSessionAttrs: attrs };
}

/** Whether the URL needs the locator: several hosts, or a session attribute to check. */
export function needsLocator(url: string): boolean {
  const p = parseHosts(url);
  return p.urls.length > 1 || p.targetSessionAttrs !== 'any';
}

/** The user a (possibly multi-host) URL names; `new URL` rejects a host list. */
export function urlUser(url: string): string | undefined {
  const auth = URL_SHAPE.exec(url)?.[2];
  if (!auth) return undefined;
  return decodeURIComponent(auth.slice(0, -1).split(':')[0]!);
}

/** Finds the host to connect to, probing in list order; shares one probe among concurrent callers. */
export class HostLocator {
  private current: HostTarget | undefined;
  private probing: Promise<HostTarget> | undefined;
  readonly parsed: ParsedHosts;

  constructor(
    url: string,
    private readonly connectTimeoutMs = 3000,
  ) {
    this.parsed = parseHosts(url);
  }

  /** The single-host URL pg parses for everything but the host (user, password, database, ssl). */
  get baseUrl(): string {
    return this.parsed.urls[0]!;
  }

  /** Forget the host: the next connection probes again (a connection to it failed or was cut). */
  invalidate(target?: HostTarget): void {
    if (!target || (this.current && this.current.host === target.host && this.current.port === target.port)) this.current = undefined;
  }

  locate(): Promise<HostTarget> {
    if (this.current) return Promise.resolve(this.current);
    this.probing ??= this.probe().finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }

  private async probe(): Promise<HostTarget> {
    const failures: string[] = [];
    for (let i = 0; i < this.parsed.urls.length; i++) {
      const target = this.parsed.targets[i]!;
      const client = new pg.Client({ connectionString: this.parsed.urls[i], connectionTimeoutMillis: this.connectTimeoutMs, application_name: 'wh327-locate' });
      client.on('error', () => {});
      try {
        await client.connect();
        if (this.parsed.targetSessionAttrs !== 'any') {
          // libpq's own test for read-write: the session's default is not read-only (a standby's is).
          const { rows } = await client.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro");
          if (rows[0]?.ro !== 'off') {
            failures.push(`${target.host}:${target.port} is read-only`);
            continue;
          }
        }
        this.current = target;
        return target;
      } catch (err) {
        failures.push(`${target.host}:${target.port}: ${(err as Error).message}`);
      } finally {
        await client.end().catch(() => {});
      }
    }
    // Shaped like a refused connection, so callers classify it as the database being unavailable (503).
    throw Object.assign(new Error(`no usable database host (${failures.join('; ')})`), { code: 'ECONNREFUSED' });
  }
}

type Callback = (err: Error | null, client?: pg.Client) => void;

/**
 * A pg.Client class for pg.Pool's `Client` option: each new connection asks the locator for its host,
 * and a connection that fails or ends tells the locator to look again.
 */
export function locatingClient(locator: HostLocator): typeof pg.Client {
  return class LocatingClient extends pg.Client {
    // pg's connect() funnels into _connect(callback); the host is set just before it dials.
    _connect(callback: Callback): void {
      locator.locate().then(
        (target) => {
          const self = this as unknown as { host: string; port: number; connectionParameters: { host: string; port: number } };
          self.host = target.host;
          self.port = target.port;
          self.connectionParameters.host = target.host;
          self.connectionParameters.port = target.port;
          const forget = () => locator.invalidate(target);
          this.once('error', forget);
          this.once('end', forget);
          (pg.Client.prototype as unknown as { _connect(this: pg.Client, cb: Callback): void })._connect.call(this, (err) => {
            if (err) forget();
            callback(err);
          });
        },
        (err: Error) => callback(err),
      );
    }
  } as unknown as typeof pg.Client;
}
