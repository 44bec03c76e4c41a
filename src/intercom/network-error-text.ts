/** `ECONNRESET: other side closed`-style text from a fetch rejection and its cause chain. */
export function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = 'code' in current ? current.code : undefined;
    parts.push(typeof code === 'string' ? `${code}: ${current.message}` : current.message);
    current = current.cause;
  }
  if (parts.length === 0) return 'request failed';
  // undici's outer "fetch failed" says nothing; the innermost cause is the useful part.
  return parts.length > 1 && parts[0] === 'fetch failed' ? parts.slice(1).join(' <- ') : parts.join(' <- ');
}
