"""HTTP side of the CometD endpoint: `/statistics/v3/notifications[/<meta>]`.

Reference: seed 002 "Statistics Notifications API". The gateway in front of the
real service checks the bearer token on every Bayeux request (HTTP 401 when it is
missing or expired) before the Bayeux server sees the messages.
"""

from __future__ import annotations

from aiohttp import web

from statsbridge.simulator.bayeux import BayeuxServer, InvalidChannel
from statsbridge.simulator.http_common import ApiError, bearer_token, error_body, json_response, read_json
from statsbridge.simulator.tokens import TokenStore

BASE = "/statistics/v3/notifications"


class CometdEndpoint:
    def __init__(self, bayeux: BayeuxServer, tokens: TokenStore) -> None:
        self.bayeux = bayeux
        self.tokens = tokens
        self.requests = 0

    def routes(self) -> list[web.RouteDef]:
        # Any sub-path: the stock client appends the message type (/handshake,
        # /connect...) and, for batches, just a slash.
        return [web.post(BASE, self.handle), web.post(BASE + "/{meta:.*}", self.handle)]

    async def handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        owner = self.tokens.user_for(bearer_token(request))
        if owner is None:
            status = self.tokens.cometd_rejection
            return json_response(error_body(status, "Unauthorized" if status == 401 else "Forbidden"), status=status)
        messages = await read_json(request)
        if isinstance(messages, dict):
            messages = [messages]
        if not isinstance(messages, list) or not messages:
            raise ApiError(400, "a Bayeux request is a JSON array of messages")
        if not all(isinstance(m, dict) and isinstance(m.get("channel"), str) for m in messages):
            raise ApiError(400, "every Bayeux message must be an object with a string 'channel'")
        try:
            replies = await self._dispatch(owner, messages, request)
        except InvalidChannel as error:
            # The real service answers a channel id that is not a channel with a 500.
            return json_response(error_body(500, str(error)), status=500)
        return json_response(replies)

    async def _dispatch(self, owner: str, messages: list[dict], request: web.Request) -> list[dict]:
        replies: list[dict] = []
        for message in messages:
            channel = message["channel"]
            if channel == "/meta/handshake":
                replies.append(self.bayeux.handshake(owner, message))
            elif channel == "/meta/connect":
                replies.extend(await self.bayeux.connect(message, request.transport))
            elif channel == "/meta/subscribe":
                replies.append(self.bayeux.subscribe(message))
            elif channel == "/meta/unsubscribe":
                replies.append(self.bayeux.unsubscribe(message))
            elif channel == "/meta/disconnect":
                replies.append(self.bayeux.disconnect(message))
            else:
                replies.append(
                    {
                        "channel": channel,
                        "id": message.get("id"),
                        "successful": False,
                        "error": "403::publish denied: these channels are server-to-client",
                    }
                )
        return replies
