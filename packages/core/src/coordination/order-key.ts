let last = 0
let counter = 0

/**
 * A key that sorts in the order this process made them: epoch ms, then a counter within the ms.
 * Rows of one chat or session are handed out in this order (the `ord` and inbox `id` columns).
 */
export function orderKey(now: number): string {
  if (now === last) counter++
  else {
    last = now
    counter = 0
  }
  return `${String(now).padStart(15, '0')}.${String(counter).padStart(6, '0')}`
}
