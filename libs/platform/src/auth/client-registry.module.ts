import { Global, Module } from '@nestjs/common';
import { SQL_CLIENT, type SqlClient } from '../sql/sql-client';
import { CLIENT_REGISTRY, ClientRegistry } from './client-registry';

/**
 * The registered clients (`CLIENT_REGISTRY`), for whoever reads them: the api's token endpoint and guards,
 * the worker's payment-app names in notifications. Global; needs `SQL_CLIENT` from a global module.
 */
@Global()
@Module({
  providers: [
    {
      provide: CLIENT_REGISTRY,
      useFactory: async (sql: SqlClient) => {
        const clients = new ClientRegistry(sql);
        await clients.ensureSchema();
        return clients;
      },
      inject: [SQL_CLIENT],
    },
  ],
  exports: [CLIENT_REGISTRY],
})
export class ClientRegistryModule {}
