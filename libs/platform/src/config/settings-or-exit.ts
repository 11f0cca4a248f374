import { InvalidConfigError } from './app-config';

/** The settings `load` reads; on a bad one, a message naming it and exit 1, before the process opens anything. */
export function settingsOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
