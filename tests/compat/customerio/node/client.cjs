// Drive the official customerio-node TrackClient, unchanged, for the Python tests.
//
//   node client.cjs '{"siteId": …, "apiKey": …, "url": "https://host:port/api/v1",
//                     "method": "identify", "args": ["42", {"plan": "pro"}]}'
//
// Prints {"ok": true, "result": …} or {"ok": false, "status": …, "message": …} on stdout.
const { TrackClient } = require("customerio-node");

async function main() {
  const call = JSON.parse(process.argv[2]);
  const client = new TrackClient(call.siteId, call.apiKey, {
    url: call.url,
    retry: { maxRetries: 0 },
  });
  try {
    const result = await client[call.method](...call.args);
    console.log(JSON.stringify({ ok: true, result: result ?? null }));
  } catch (error) {
    console.log(
      JSON.stringify({ ok: false, status: error.statusCode ?? null, message: String(error.message) }),
    );
  }
}

main();
