/** The Data API: what the API key in use may do. */
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseResponse } from "../../internal/validate.js";
import { type GetApiKeyPermissionsResponse, getApiKeyPermissionsResponseSchema } from "../../schemas/data.js";

/**
 * Gets the permissions of the API key in use (view, trade, transfer) and the portfolio it is tied to.
 *
 * `GET /key_permissions` · permission: view.
 *
 * @example
 * const { can_trade, portfolio_uuid } = await client.getApiKeyPermissions();
 */
export async function getApiKeyPermissions(
  client: ClientContext,
  options?: CallOptions,
): Promise<GetApiKeyPermissionsResponse> {
  const body = await client.request(
    { operation: "getApiKeyPermissions", method: "GET", path: "/key_permissions", auth: "private" },
    options,
  );
  return parseResponse(getApiKeyPermissionsResponseSchema, body, "getApiKeyPermissions");
}
