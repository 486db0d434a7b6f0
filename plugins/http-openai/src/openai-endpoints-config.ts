import { z } from 'zod'

const MB = 1024 * 1024

const PositiveInt = z.number().int().positive()

const IMAGE_MIME_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif']
const FILE_MIME_TYPES = ['text/plain', 'text/markdown', 'text/html', 'text/csv', 'application/json', 'application/pdf']

/** `gateway.http.endpoints.chatCompletions`. */
export const ChatCompletionsConfigSchema = z.looseObject({
  /** Serve `POST /v1/chat/completions` (and `/v1/models`). */
  enabled: z.boolean().default(false),
  /** Largest request body; larger ones get 413. */
  maxBodyBytes: PositiveInt.default(20 * MB),
  /** `image_url` parts of the latest user turn. */
  images: z
    .looseObject({
      /** Accept `https://` image URLs (passed to the model provider as URLs; the gateway never fetches them). */
      allowUrl: z.boolean().default(false),
      maxParts: z.number().int().min(0).default(8),
      /** Total decoded size of the `data:` images of one request. */
      maxTotalBytes: PositiveInt.default(20 * MB),
      mimeTypes: z.array(z.string()).default(IMAGE_MIME_TYPES),
    })
    .prefault({}),
})

/** `gateway.http.endpoints.responses`. */
export const ResponsesConfigSchema = z.looseObject({
  /** Serve `POST /v1/responses` (and `/v1/models`). */
  enabled: z.boolean().default(false),
  maxBodyBytes: PositiveInt.default(20 * MB),
  /** Most `input_image`/`input_file` parts given by URL in one request. */
  maxUrlParts: z.number().int().min(0).default(8),
  images: z
    .looseObject({
      allowUrl: z.boolean().default(true),
      /** Decoded size of one base64 image. */
      maxBytes: PositiveInt.default(10 * MB),
      mimeTypes: z.array(z.string()).default(IMAGE_MIME_TYPES),
    })
    .prefault({}),
  files: z
    .looseObject({
      allowUrl: z.boolean().default(true),
      /** Decoded size of one base64 file. */
      maxBytes: PositiveInt.default(5 * MB),
      /** Text of one file put into the prompt; longer text is cut. */
      maxChars: PositiveInt.default(60_000),
      mimeTypes: z.array(z.string()).default(FILE_MIME_TYPES),
    })
    .prefault({}),
  /** How long `previous_response_id` can continue a response. Kept in the state store, so restarts keep it. */
  previousResponseTtlHours: z.number().positive().default(24 * 30),
})

/** `gateway.http.endpoints`: the OpenAI-compatible surface. Both endpoints are off by default. */
export const OpenAiEndpointsConfigSchema = z.looseObject({
  chatCompletions: ChatCompletionsConfigSchema.prefault({}),
  responses: ResponsesConfigSchema.prefault({}),
})

export type OpenAiEndpointsConfig = z.output<typeof OpenAiEndpointsConfigSchema>
export type ChatCompletionsConfig = z.output<typeof ChatCompletionsConfigSchema>
export type ResponsesConfig = z.output<typeof ResponsesConfigSchema>
