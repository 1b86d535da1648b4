import { describe, expect, it } from 'vitest';
import { needsLocator, parseHosts, urlUser } from '../../src/db/hosts.js';

/** libpq's multi-host URLs, which node-postgres does not parse (src/db/hosts.ts). */
describe('multi-host DATABASE_URL', () => {
  it('splits a host list into one URL per host, in order, keeping credentials, database and other parameters', () => {
    const p = parseHosts('postgres://app:s%3Acret@db1:5432,db2:6432,db3/wh327?target_session_attrs=read-write&sslmode=require');
    expect(p.targetSessionAttrs).toBe('read-write');
    expect(p.targets).toEqual([
      { host: 'db1', port: 5432 },
      { host: 'db2', port: 6432 },
      { host: 'db3', port: 5432 },
    ]);
    expect(p.urls).toEqual([
      'postgres://app:s%3Acret@db1:5432/wh327?sslmode=require',
      'postgres://app:s%3Acret@db2:6432/wh327?sslmode=require',
      'postgres://app:s%3Acret@db3/wh327?sslmode=require',
    ]);
  });

  it('reads bracketed IPv6 hosts and accepts primary as read-write', () => {
    const p = parseHosts('postgresql://app@[::1]:5433,[fd00::2]/wh327?target_session_attrs=primary');
    expect(p.targets).toEqual([
      { host: '::1', port: 5433 },
      { host: 'fd00::2', port: 5432 },
    ]);
    expect(p.targetSessionAttrs).toBe('primary');
  });

  it('leaves a single-host URL to pg untouched, and refuses session attributes it cannot honour', () => {
    expect(needsLocator('postgres://app@db1:5432/wh327')).toBe(false);
    expect(needsLocator('postgres://app@db1:5432/wh327?target_session_attrs=read-write')).toBe(true);
    expect(needsLocator('postgres://app@db1,db2/wh327')).toBe(true);
    expect(() => parseHosts('postgres://app@db1,db2/wh327?target_session_attrs=standby')).toThrow(/not supported/);
  });

  it('names the user of a host list, which new URL() rejects', () => {
    expect(urlUser('postgres://wh327_app:pw@db1:5432,db2:5432/wh327')).toBe('wh327_app');
    expect(urlUser('postgres://db1/wh327')).toBeUndefined();
  });
});
