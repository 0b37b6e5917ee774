import { createParser, type EventSourceMessage } from "eventsource-parser";

/**
 * Reads a Server-Sent Events body and hands each event to `onEvent`. Returning `false` from `onEvent` marks the
 * terminal event: later events are ignored, but the body is still read to its end so that the keep-alive
 * connection can be reused (destroying a half-read body would cost a new TCP connection per call).
 * Decoding is streaming UTF-8, so multi-byte characters split across chunks survive.
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
  try {
    for await (const chunk of body) {
      if (!stop) parser.feed(decoder.decode(chunk, { stream: true }));
    }
  } catch (error) {
    // The answer was complete; a connection that then fails or lingers does not undo it.
    if (!stop) throw error;
  }
  if (!stop) parser.feed(`${decoder.decode()}\n\n`);
  return { terminated: stop };
}
