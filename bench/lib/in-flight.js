// Runs `task(i)` for i = 0 … count-1 with `concurrency` of them in flight at
// once: how the bench's clients drive a responder the way certgate's
// --concurrency does.
export async function inFlight(count, concurrency, task) {
  let next = 0
  const worker = async () => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}
