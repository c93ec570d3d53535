import { ProblemSchema } from "../../schemas/common";

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** The error responses every authenticated route can give. */
export const authErrors = {
  400: problem("Invalid request parameters"),
  401: problem("Authentication required"),
  429: problem("Rate limit exceeded"),
  503: problem("The database cannot answer; nothing was verified or changed"),
} as const;

export const errors = {
  403: problem("Access forbidden"),
  404: problem("Resource not found, or not visible to the caller"),
  409: problem("Resource conflict"),
  422: problem("Unprocessable request: understood, but not allowed or not supported here"),
} as const;

export const bearer = [{ bearer: [] }];

/** A JSON request or response body of this schema. */
export const json = <T>(schema: T) => ({ "application/json": { schema } });
