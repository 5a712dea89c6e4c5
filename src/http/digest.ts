/** SHA-256 of a text (UTF-8), the one hash the gateway uses for keys. */
export function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
}
