// The stock CometD JavaScript client (npm `cometd` + `cometd-nodejs-client`) against
// the Genesys simulator: proves the simulator speaks Bayeux the way the reference
// client expects, not only the way our own bridge does.
//
// Usage: node stock_client.mjs <base-url> <api-key> <token> [timeout-seconds] [min-updates]
//   or the env vars SIM_BASE_URL, SIM_API_KEY, SIM_TOKEN, SIM_TIMEOUT_S, SIM_MIN_UPDATES.
// SIM_APPEND_MESSAGE_TYPE_TO_URL=false turns off the client's default of posting
// /meta/handshake to <url>/handshake, /meta/connect to <url>/connect and every
// other message (subscribe included) to "<url>/".
//
// Prints one JSON object per line on stdout (the test parses them):
//   {"event":"handshake","successful":true,"clientId":"..."}
//   {"event":"subscribed","channel":"/statistics/v3/updates","successful":true}
//   {"event":"message","channel":"/statistics/v3/updates","data":{...}}
//   {"event":"done","updates":2}                         -> exit 0
//   {"event":"error","reason":"..."}                     -> exit 1
// CometD's own log lines go to stderr (console.warn), never to stdout.
import {adapt} from "cometd-nodejs-client";

const CHANNELS = ["/statistics/v3/updates", "/statistics/v3/service"];

function settings() {
    const [baseUrl, apiKey, token, timeoutS, minUpdates] = process.argv.slice(2);
    const env = process.env;
    const result = {
        baseUrl: baseUrl || env.SIM_BASE_URL,
        apiKey: apiKey || env.SIM_API_KEY,
        token: token || env.SIM_TOKEN,
        timeoutS: Number(timeoutS || env.SIM_TIMEOUT_S || 20),
        minUpdates: Number(minUpdates || env.SIM_MIN_UPDATES || 2),
        // The stock default (true) posts /meta/subscribe to "<url>/"; "false" posts
        // every message to <url> itself.
        appendMessageType: (env.SIM_APPEND_MESSAGE_TYPE_TO_URL || "true") !== "false",
    };
    if (!result.baseUrl || !result.apiKey || !result.token) {
        fail("usage: stock_client.mjs <base-url> <api-key> <token> [timeout-seconds] [min-updates]");
    }
    return result;
}

function emit(event) {
    // stdout is a pipe: writes are synchronous on Linux, so nothing is lost at exit.
    process.stdout.write(JSON.stringify(event) + "\n");
}

function fail(reason) {
    emit({event: "error", reason});
    process.exit(1);
}

function makeClient(CometD, config) {
    const cometd = new CometD();
    // Long-polling only: the Genesys service offers no WebSocket transport.
    cometd.unregisterTransport("websocket");
    cometd.unregisterTransport("callback-polling");
    cometd.configure({
        url: `${config.baseUrl.replace(/\/$/, "")}/statistics/v3/notifications`,
        // Sent on every Bayeux request: the API gateway checks both before CometD sees it.
        requestHeaders: {"x-api-key": config.apiKey, "Authorization": `Bearer ${config.token}`},
        logLevel: "warn",
        appendMessageTypeToURL: config.appendMessageType,
    });
    return cometd;
}

function finish(cometd, updates) {
    emit({event: "done", updates});
    // Disconnect politely so the simulator forgets the client; exit regardless after 2 s.
    setTimeout(() => process.exit(0), 2000);
    cometd.disconnect(() => process.exit(0));
}

function subscribeAll(cometd, config) {
    let updates = 0;
    const onMessage = (message) => {
        emit({event: "message", channel: message.channel, data: message.data});
        if (message.data && message.data.name === "StatisticUpdate" && ++updates === config.minUpdates) {
            finish(cometd, updates);
        }
    };
    const onSubscribed = (reply) => {
        const failure = reply.failure || {};
        emit({event: "subscribed", channel: reply.subscription, successful: reply.successful,
              error: reply.error, httpCode: failure.httpCode, reason: failure.reason});
        if (!reply.successful) {
            fail(`subscription to ${reply.subscription} failed: ` +
                 (reply.error || `HTTP ${failure.httpCode} ${failure.reason}`));
        }
    };
    cometd.batch(() => {
        for (const channel of CHANNELS) {
            cometd.subscribe(channel, onMessage, onSubscribed);
        }
    });
}

async function main() {
    const config = settings();
    // adapt() installs window.XMLHttpRequest before the library is loaded and used.
    adapt();
    const {CometD} = await import("cometd");
    const cometd = makeClient(CometD, config);
    setTimeout(() => fail(`timed out after ${config.timeoutS} s`), config.timeoutS * 1000);
    cometd.addListener("/meta/unsuccessful", (message) => {
        emit({event: "unsuccessful", channel: message.channel, error: message.error,
              failure: message.failure && message.failure.reason});
    });
    cometd.handshake((reply) => {
        emit({event: "handshake", successful: reply.successful, clientId: reply.clientId,
              error: reply.error});
        if (!reply.successful) {
            fail(`handshake failed: ${reply.error || JSON.stringify(reply.failure || {})}`);
        }
        subscribeAll(cometd, config);
    });
}

main().catch((error) => fail(String(error && error.stack || error)));
