import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CLIENT_REGISTRY, type ClientRegistry } from '@lib/platform/auth/client-registry';
import { seedSandboxClients } from '@lib/platform/auth/sandbox-clients';

export const SANDBOX_ENV = Symbol('SANDBOX_ENV');

/** Seeds the sandbox clients once the registry's table exists, before the service takes requests. */
@Injectable()
export class SandboxClientsSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Sandbox');

  constructor(
    @Inject(CLIENT_REGISTRY) private readonly registry: ClientRegistry,
    @Inject(SANDBOX_ENV) private readonly env: Record<string, string | undefined>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await seedSandboxClients(this.registry, this.env, this.logger);
  }
}
