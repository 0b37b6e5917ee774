import type { Readable } from "node:stream";
import { createParser, type EventSourceMessage } from "eventsource-parser";

/**
 * Reads a Server-Sent Events body and hands each event to `onEvent`. Returning `false` from `onEvent` marks the
 * terminal event: later events are ignored, but the body is still read to its end so that the keep-alive
 * connection can be reused (destroying a half-read body would cost a new TCP connection per call).
 * Decoding is streaming UTF-8, so multi-byte characters split across chunks survive.
 * Plain 'data' events rather than `for await`: an async iterator costs promises per chunk on the hot path of
 * every streamed call.
 */
export function readSSE(
  body: Readable,
  onEvent: (event: EventSourceMessage) => boolean | undefined,
): Promise<{ terminated: boolean }> {
  return new Promise((resolve, reject) => {
    const decoder = new TextDecoder();
    let stop = false;
    let settled = false;
    const parser = createParser({
      onEvent(event) {
        if (!stop && onEvent(event) === false) stop = true;
      },
    });
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      // The answer was complete; a connection that then fails or lingers does not undo it.
      if (stop) resolve({ terminated: true });
      else reject(error);
    };
    body.on("data", (chunk: Uint8Array) => {
      if (stop) return;
      try {
        parser.feed(decoder.decode(chunk, { stream: true }));
      } catch (error) {
        fail(error);
        body.destroy();
      }
    });
    body.once("error", fail);
    // Destroyed without an error (no 'end' will come): settle rather than hang.
    body.once("close", () => fail(new Error("the response body closed before its end")));
    body.once("end", () => {
      if (settled) return;
      try {
        if (!stop) parser.feed(`${decoder.decode()}\n\n`);
      } catch (error) {
        fail(error);
        return;
      }
      settled = true;
      resolve({ terminated: stop });
    });
  });
}
