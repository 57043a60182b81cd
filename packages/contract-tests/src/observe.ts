/** One exchange as the wire saw it: what the client sent and what came back, body as text. */
export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Headers;
  status: number;
  headers: Headers;
  body: string;
}

/**
 * A `fetch` to inject into the client: it lets `rewrite` change the outgoing headers (to send one
 * microversion header form or the other), records every exchange and hands the response on intact.
 */
export function observedFetch(rewrite: (headers: Headers) => void = () => {}) {
  const exchanges: Exchange[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    rewrite(headers);
    const body = request.method === "GET" ? null : await request.text();
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      body,
      signal: request.signal,
    });
    const text = await response.clone().text();
    exchanges.push({
      method: request.method,
      url: request.url,
      requestHeaders: headers,
      status: response.status,
      headers: response.headers,
      body: text,
    });
    return response;
  };
  return { fetch: wrapped, exchanges };
}
