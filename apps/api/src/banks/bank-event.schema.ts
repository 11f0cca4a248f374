import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiExtraModels, getSchemaPath } from '@nestjs/swagger';
import { DATA_CLASS_BY_TYPE } from './bank-event.request.dto';

const DATA_MODELS = [...new Set(Object.values(DATA_CLASS_BY_TYPE))];

/**
 * The body of a bank's webhook for the OpenAPI document: `{ type, data }`, `data` one of the classes that
 * validate it (the controller validates by hand, after the signature, so Nest cannot infer it).
 */
export function ApiBankEventBody() {
  return applyDecorators(
    ApiExtraModels(...DATA_MODELS),
    ApiBody({
      description:
        'A bank event; `data` is the schema of its `type` (see the table in API.md "Banks"): a `linkId` for ' +
        'events of a link, a `bankAccount` of the sending bank for `account.closed`',
      schema: {
        type: 'object',
        required: ['type', 'data'],
        properties: {
          type: { type: 'string', enum: Object.keys(DATA_CLASS_BY_TYPE), example: 'authentication.succeeded' },
          data: { oneOf: DATA_MODELS.map((model) => ({ $ref: getSchemaPath(model) })) },
        },
      },
    }),
  );
}
