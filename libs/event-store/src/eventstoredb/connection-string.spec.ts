import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDBClient } from '@eventstore/db-client';
import { adapterConnectionString, callDeadlineMs, redactedConnectionString } from './connection-string';

describe('the connection string the adapter gives the EventStoreDB client', () => {
  it('turns keep-alive on when the connection string does not set it', () => {
    expect(adapterConnectionString('esdb://localhost:2113?tls=false')).toBe(
      'esdb://localhost:2113?tls=false&keepAliveInterval=10000&keepAliveTimeout=10000',
    );
    expect(adapterConnectionString('esdb://localhost:2113')).toBe(
      'esdb://localhost:2113?keepAliveInterval=10000&keepAliveTimeout=10000',
    );
    expect(adapterConnectionString('esdb://localhost:2113?')).toBe(
      'esdb://localhost:2113?keepAliveInterval=10000&keepAliveTimeout=10000',
    );
  });

  it("keeps the operator's keep-alive settings, however they spell the names", () => {
    const explicit = 'esdb+discover://a,b,c?keep-alive-interval=5000&KEEPALIVETIMEOUT=2000';
    expect(adapterConnectionString(explicit)).toBe(explicit);
    expect(adapterConnectionString('esdb://h?keepAliveInterval=-1')).toBe(
      'esdb://h?keepAliveInterval=-1&keepAliveTimeout=10000',
    );
  });

  it('refuses throwOnAppendFailure=false: conflicts must arrive as errors carrying the actual revision', () => {
    expect(() => adapterConnectionString('esdb://h?throwOnAppendFailure=false')).toThrow('throwOnAppendFailure');
    expect(adapterConnectionString('esdb://h?throwOnAppendFailure=true')).toContain('keepAliveInterval=10000');
  });

  it('accepts only the schemes the client parses, and names the scheme, never the rest, when it refuses', () => {
    for (const refused of ['kurrentdb://admin:secret@h:2113', 'kurrentdb+discover://h', 'http://h:2113', 'h:2113']) {
      expect(() => adapterConnectionString(refused)).toThrow('must start with esdb:// or esdb+discover://');
      expect(() => adapterConnectionString(refused)).not.toThrow('secret');
    }
    expect(adapterConnectionString('esdb+discover://cluster.internal:2113')).toContain('keepAliveInterval=10000');
  });

  it('passes credentials, TLS settings and several gossip seeds through, in a form the client takes', () => {
    const directory = mkdtempSync(join(tmpdir(), 'esdb-ca-'));
    const caFile = join(directory, 'ca.crt');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    const cluster = `esdb://admin:changeit@node1:2113,node2:2113,node3:2113?tls=true&tlsCAFile=${caFile}&nodePreference=leader`;

    const given = adapterConnectionString(cluster);

    expect(given).toBe(`${cluster}&keepAliveInterval=10000&keepAliveTimeout=10000`);
    // The client parses it (lazily: nothing connects here).
    expect(EventStoreDBClient.connectionString(given)).toBeInstanceOf(EventStoreDBClient);
  });

  it('refuses a tlsCAFile that is not there, naming the path it looked at', () => {
    expect(() => adapterConnectionString('esdb://node1:2113?tls=true&tlsCAFile=/nowhere/ca.crt')).toThrow(
      'tlsCAFile=/nowhere/ca.crt, but there is no file at /nowhere/ca.crt',
    );
    // On an insecure connection the client ignores the file, so does the adapter.
    expect(() => adapterConnectionString('esdb://node1:2113?tls=false&tlsCAFile=/nowhere/ca.crt')).not.toThrow();
  });

  it('hides the password when a connection string is shown', () => {
    expect(redactedConnectionString('esdb://admin:changeit@node1:2113,node2:2113?tls=true')).toBe(
      'esdb://admin:***@node1:2113,node2:2113?tls=true',
    );
  });

  it("gives reads the connection's call deadline, 10 s unless set", () => {
    expect(callDeadlineMs('esdb://h:2113?tls=false')).toBe(10_000);
    expect(callDeadlineMs('esdb://h:2113?tls=false&defaultDeadline=2500')).toBe(2_500);
    expect(callDeadlineMs('esdb://h:2113?default-deadline=0')).toBe(10_000);
  });
});
