import { bootstrap as startApi } from '../apps/api/src/main';
import { bootstrap as startWorker } from '../apps/worker/src/main';

/** Each app of the service refuses to start on a bad setting, and says which one, before it opens anything. */
describe.each([
  ['api', startApi],
  ['worker', startWorker],
])('starting the %s with a bad setting', (_app, bootstrap) => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://db/x'],
    ['LOG_LEVEL', 'loud'],
  ])('stops at once on %s=%s, naming the variable', async (variable, value) => {
    process.env[variable] = value;
    const written: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const exit = jest.spyOn(process, 'exit').mockImplementation((code?: string | number | null) => {
      throw new Error(`exit ${code}`);
    });

    await expect(bootstrap()).rejects.toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(written.join('')).toContain(`${variable}:`);
  });
});
