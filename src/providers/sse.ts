import { createParser, type EventSourceMessage } from "eventsource-parser";

/**
 * Reads a Server-Sent Events body and hands each event to `onEvent`. Returning `false` from `onEvent` stops reading
 * (the terminal event was seen). Decoding is streaming UTF-8, so multi-byte characters split across chunks survive.
 */
export async function readSSE(
  body: AsyncIterable<Uint8Array>,
  onEvent: (event: EventSourceMessage) => boolean | undefined,
): Promise<{ terminated: boolean }> {
  const decoder = new TextDecoder();
  let stop = false;
  const parser = createParser({
    onEvent(event) {
      if (!stop && onEvent(event) === false) stop = true;
    },
  });
  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    if (stop) return { terminated: true };
  }
  parser.feed(`${decoder.decode()}\n\n`);
  return { terminated: stop };
}
