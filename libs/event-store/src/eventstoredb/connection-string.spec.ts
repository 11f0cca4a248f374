import { adapterConnectionString } from './connection-string';

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
});
