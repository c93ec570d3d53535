/**
 * Imported first by server.ts, for its effect: with LOG_FORMAT=json, every line this process writes is
 * JSON from here on — Next.js's own, and what a module prints while it loads (oidc-provider warns
 * about the Node.js version at import), which a call in server.ts's body would come too late for.
 */
import { logger, logSettingsFromEnv } from "../domain/logger";
import { routeOutputThroughLogger } from "./log-output";

if (logSettingsFromEnv().format === "json") routeOutputThroughLogger(logger);
