import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { InvalidConfigError } from '../config/app-config';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

// A PEM pasted into a one-line environment variable usually arrives with literal "\n".
const toPem = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\\n/g, '\n') : value);

export const DEFAULT_JWT_ISSUER = 'kouza-link';
export const DEFAULT_JWT_AUDIENCE = 'kouza-link-api';

/** Access-token settings, read from the environment like `AppConfig`. */
export class AuthConfig {
  /** PKCS#8 PEM of an Ed25519 (EdDSA) or P-256 (ES256) key; unset, a key is generated at each start. */
  @IsOptional()
  @Transform(toPem)
  @Matches(/-----BEGIN PRIVATE KEY-----/, { message: 'JWT_PRIVATE_KEY must be a PKCS#8 PEM private key' })
  JWT_PRIVATE_KEY?: string;

  @IsString()
  @MinLength(1)
  JWT_ISSUER = DEFAULT_JWT_ISSUER;

  @IsString()
  @MinLength(1)
  JWT_AUDIENCE = DEFAULT_JWT_AUDIENCE;

  /** Set, tokens of an external issuer are trusted instead and this service issues none. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'JWT_JWKS_URL must be an http(s) URL' })
  JWT_JWKS_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  get tokenSource(): 'self' | 'external' {
    return this.JWT_JWKS_URL ? 'external' : 'self';
  }
}

const VARIABLES = [
  'JWT_PRIVATE_KEY',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWT_JWKS_URL',
  'ACCESS_TOKEN_TTL_SECONDS',
] as const;

export function loadAuthConfig(env: Record<string, string | undefined> = process.env): AuthConfig {
  const relevant = Object.fromEntries(
    VARIABLES.flatMap((name) => (env[name] === undefined || env[name] === '' ? [] : [[name, env[name]]])),
  );
  const config = plainToInstance(AuthConfig, relevant);
  const problems = validateSync(config, { forbidUnknownValues: true }).map((error) => ({
    variable: error.property,
    message: Object.values(error.constraints ?? {}).join(', ') || 'invalid value',
  }));
  if (config.JWT_JWKS_URL && config.JWT_PRIVATE_KEY) {
    problems.push({ variable: 'JWT_PRIVATE_KEY', message: 'set either JWT_PRIVATE_KEY or JWT_JWKS_URL, not both' });
  }
  if (config.JWT_JWKS_URL && !relevant.JWT_ISSUER) {
    problems.push({ variable: 'JWT_ISSUER', message: 'an external issuer (JWT_JWKS_URL) needs its JWT_ISSUER' });
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return config;
}
