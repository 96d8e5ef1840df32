// The mapping module's public surface: load and check the mapping file, validate it against the
// live schemas, and convert values between Salesforce fields and monday columns.
export * from './mapping.types';
export { loadMapping, parseMapping, readMapping, type MappingReadResult, type ParseMappingOptions } from './load-mapping';
export { MappingError, formatProblem, formatPath, type MappingProblem, type MappingProblemCode, type ProblemSeverity, type PathSegment } from './mapping-problem';
export { validateAgainstLive } from './validate-against-live';
export * from './live-schema';
export { isSalesforceId, to18 } from './salesforce-id';
export { converterFor, converterForField, compatibleColumnTypes, type ConverterChoice, type ConverterOptions, type SalesforceFieldRef } from './converters/converter-registry';
export * from './converters/converter.types';
export { ConversionError, type ConversionErrorCode } from './converters/conversion-error';
export { readBackValue, webhookValueFor, UnwritableValueError } from './converters/monday-value-shapes';
