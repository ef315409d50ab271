import * as z from "zod";

/** A Lambda Function URL request (payload format 2.0). */
export const functionUrlRequest = z.object({
  version: z.literal("2.0"),
  rawPath: z.string(),
  rawQueryString: z.string(),
  cookies: z.array(z.string()).optional(),
  headers: z.record(z.string(), z.string()),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
  requestContext: z
    .object({
      accountId: z.string(),
      apiId: z.string(),
      domainName: z.string(),
      domainPrefix: z.string().optional(),
      http: z.object({
        method: z.string(),
        path: z.string(),
        protocol: z.string(),
        sourceIp: z.string(),
        userAgent: z.string().optional(),
      }),
      requestId: z.string(),
      time: z.string(),
      timeEpoch: z.number(),
    })
    .loose(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean(),
});

/** A Function URL request. */
export type FunctionUrlRequest = z.infer<typeof functionUrlRequest>;

/** A Function URL response (payload format 2.0). */
export interface FunctionUrlResponse {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}
