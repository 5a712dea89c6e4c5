/**
 * OpenAI-shaped error bodies: `{"error": {message, type, param, code}}`, with the
 * messages, types and codes the real API uses for each status.
 */
import { STATUS_CODES } from 'node:http';

export interface OpenAIError {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAIError(message: string, type: string, code: string | null = null, param: string | null = null): OpenAIError {
  return { error: { message, type, param, code } };
}

/** The body a provider typically sends with `status` (model named where the real message names it). */
export function errorForStatus(status: number, model: string): OpenAIError {
  switch (status) {
    case 400:
      return openAIError('Invalid request.', 'invalid_request_error');
    case 401:
      return openAIError(
        'Incorrect API key provided: sk-sim***. You can find your API key at https://platform.openai.com/account/api-keys.',
        'invalid_request_error',
        'invalid_api_key',
      );
    case 403:
      return openAIError('Country, region, or territory not supported', 'request_forbidden', 'unsupported_country_region_territory');
    case 404:
      return openAIError(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
    case 429:
      return openAIError(
        `Rate limit reached for ${model} in organization org-simulator on tokens per min (TPM): Limit 30000, Used 29400, Requested 1200. ` +
          'Please try again in 1.5s. Visit https://platform.openai.com/account/rate-limits to learn more.',
        'tokens',
        'rate_limit_exceeded',
      );
    case 500:
      return openAIError('The server had an error while processing your request. Sorry about that!', 'server_error');
    case 503:
      return openAIError('The server is overloaded or not ready yet.', 'server_error');
    default:
      return openAIError(STATUS_CODES[status] ?? `HTTP ${status}`, status >= 500 ? 'server_error' : 'invalid_request_error');
  }
}

/** The 404 the real API sends for a path it does not serve. */
export function unknownUrl(method: string, path: string): OpenAIError {
  return openAIError(`Invalid URL (${method} ${path})`, 'invalid_request_error', 'unknown_url');
}

/** The 400 the real API sends for a body that is not a JSON object. */
export function invalidJson(): OpenAIError {
  return openAIError(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
      'The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)',
    'invalid_request_error',
  );
}
