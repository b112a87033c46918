/** The API, typed from its OpenAPI document (schema.d.ts is generated: `npm run gen:api`). */
import { QueryClient } from "@tanstack/react-query";
import createFetchClient from "openapi-fetch";
import createQueryHooks from "openapi-react-query";

import { config } from "../config";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

export const apiBase = config.apiUrl || window.location.origin;

export const fetchClient = createFetchClient<paths>({ baseUrl: apiBase });
export const api = createQueryHooks(fetchClient);

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Indexed state moves with every block; a short freshness keeps pages current.
      staleTime: 2_000,
      retry: 1,
      refetchOnWindowFocus: true,
    },
  },
});

/** A failed API call in words: the API's own message, or that the API cannot be reached. */
export function apiErrorMessage(error: unknown): string {
  if (error && typeof error === "object" && "detail" in error) {
    return String((error as Schemas["ErrorBody"]).detail);
  }
  if (error instanceof TypeError) {
    return `The API at ${apiBase} does not answer. Indexed data is unavailable until it is back.`;
  }
  return error instanceof Error ? error.message : String(error);
}
