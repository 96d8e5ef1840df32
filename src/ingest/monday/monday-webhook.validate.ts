import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationTypes, type ValidationError } from 'class-validator';
import { DTO_BY_WEBHOOK_TYPE, isKnownWebhookType, UnknownWebhookDto } from './monday-webhook.dto';

type DtoClass = new () => object;

/**
 * Checks a monday webhook `event` object against the class-validator DTO of its type and returns
 * one message per problem (`event.<path>: <what is wrong>`); empty when valid. An unknown type is
 * stored as monday.unknown, never crashed on: only its triggerUuid (the idempotency key) is checked.
 *
 * The DTO instance is shallow: the parsed object's values of the DTO's declared properties, on an
 * object whose prototype is the DTO class. Only properties marked @ValidateNested go through class-transformer (which builds
 * their nested DTO instances from @Type). plainToInstance of the whole payload deep-copied every
 * value, columnValues included, only to have it read once: ~13% of the service's CPU in
 * bench/ingest (docs/benchmarks.md).
 */
export function validateWebhookEvent(event: Record<string, unknown>): string[] {
  if (typeof event.type !== 'string') return ['event.type must be a string'];
  const type = (isKnownWebhookType(event.type) ? DTO_BY_WEBHOOK_TYPE[event.type] : UnknownWebhookDto) as DtoClass;
  const dto = shallowInstance(type, event);
  return validateSync(dto, { validationError: { target: false, value: false } }).flatMap((e) => describe(e, 'event'));
}

function shallowInstance(type: DtoClass, plain: Record<string, unknown>): object {
  const { validated, nested } = propertiesOf(type);
  // Only the properties the DTO declares are copied: class-validator reads nothing else, and a payload
  // key such as "constructor" or "__proto__" must not change which metadata it looks up.
  const instance = Object.create(type.prototype) as Record<string, unknown>;
  for (const property of validated) if (Object.hasOwn(plain, property)) instance[property] = plain[property];
  const present = nested.filter((property) => Object.hasOwn(plain, property));
  if (present.length > 0) {
    const transformed = plainToInstance(type, Object.fromEntries(present.map((property) => [property, plain[property]]))) as Record<string, unknown>;
    for (const property of present) instance[property] = transformed[property];
  }
  return instance;
}

interface DtoProperties {
  /** Every property with a validation decorator, inherited ones included. */
  validated: string[];
  /** Those marked @ValidateNested. */
  nested: string[];
}

const propertiesByType = new Map<DtoClass, DtoProperties>();

function propertiesOf(type: DtoClass): DtoProperties {
  let properties = propertiesByType.get(type);
  if (!properties) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
    properties = {
      validated: [...new Set(metadata.map((m) => m.propertyName))],
      nested: [...new Set(metadata.filter((m) => m.type === ValidationTypes.NESTED_VALIDATION).map((m) => m.propertyName))],
    };
    propertiesByType.set(type, properties);
  }
  return properties;
}

function describe(error: ValidationError, parent: string): string[] {
  const path = `${parent}.${error.property}`;
  const own = Object.values(error.constraints ?? {}).map((m) => `${path}: ${m.replace(new RegExp(`^${error.property} `), '')}`);
  return own.concat((error.children ?? []).flatMap((child) => describe(child, path)));
}
