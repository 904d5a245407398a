"""A Python `websockets` client for /api/ws (seed 004):

    python3 ws_client.py ws://127.0.0.1:PORT/api/ws stream   # prints 3 messages, one JSON per line
    python3 ws_client.py URL origin ORIGIN                   # tries a browser Origin; prints the outcome
    python3 ws_client.py URL cap N                           # holds N clients, then opens one more
    python3 ws_client.py URL close -                         # closes with 1000; prints the code it got back
"""
import asyncio
import json
import sys

import websockets


async def main(url, mode, arg):
    if mode == "stream":
        async with websockets.connect(url) as ws:
            for _ in range(3):
                message = json.loads(await ws.recv())
                print(json.dumps(message))
    elif mode == "origin":
        try:
            async with websockets.connect(url, origin=arg) as ws:
                await ws.recv()
                print("accepted")
        except websockets.exceptions.InvalidStatus as e:
            print(f"refused {e.response.status_code}")
    elif mode == "close":
        ws = await websockets.connect(url)
        assert json.loads(await ws.recv())["type"] == "history"
        await ws.close(1000, "done")
        # 1000 when the server echoed the Close frame, 1006 when it just went.
        print(f"closed {ws.close_code}")
    elif mode == "cap":
        clients = [await websockets.connect(url) for _ in range(int(arg))]
        for client in clients:
            assert json.loads(await client.recv())["type"] == "history"
        extra = await websockets.connect(url)
        try:
            await extra.recv()
            print("the extra client got a message")
        except websockets.exceptions.ConnectionClosed as e:
            print(f"closed {e.rcvd.code} {e.rcvd.reason}")
        for client in clients:
            await client.close()


asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None))
