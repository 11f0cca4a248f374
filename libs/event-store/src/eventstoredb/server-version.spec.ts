import { isSupportedServerVersion, parseServerVersion } from './server-version';

describe('the EventStoreDB server versions the adapter accepts', () => {
  it('reads major and minor from the version the server reports', () => {
    expect(parseServerVersion('24.10.0.1470')).toEqual({ major: 24, minor: 10 });
    expect(parseServerVersion('unknown')).toBeUndefined();
  });

  it('accepts 23.10 and later (caught-up signals on $all), refuses older and unknown servers', () => {
    expect(['23.10.0', '23.10.3.0', '24.2.0', '24.10.0.1470', '25.0.1'].filter(isSupportedServerVersion)).toHaveLength(
      5,
    );
    expect(['23.6.0', '22.10.3.0', '21.10.9', 'unknown', ''].filter(isSupportedServerVersion)).toEqual([]);
  });
});
