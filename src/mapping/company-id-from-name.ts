/**
 * C-ID-9: the company id Segment derived from a company name, so companies Segment created earlier
 * are matched rather than duplicated. DOM/Node-free: the browser plugin uses it too.
 */

/**
 * The unsigned 32-bit djb2-xor hash of `name` (characters read from the end) as a decimal string;
 * `companyIdFromName("Segment") === "2017828326"`.
 */
export function companyIdFromName(name: string): string {
  let hash = 5381;
  for (let i = name.length - 1; i >= 0; i -= 1) {
    // `^` works on int32, so the product is wrapped to 32 bits on every step, as in Segment's original.
    hash = (hash * 33) ^ name.charCodeAt(i);
  }
  return String(hash >>> 0);
}
