"""The clients of ci/bench-push, all in this one process so that the client
side's CPU is not charged to the daemon. Run with the clients venv
(python-socketio[client], websockets; edge-daemon/tests/clients/requirements.txt).

    bench-push-clients.py hold ADDR SIO_N WS_N
        Connects SIO_N python-socketio clients (default transports: polling,
        then the upgrade to websocket) and WS_N `websockets` clients on
        /api/ws, waits until every one has had an update, prints `ready`,
        and counts the updates each gets until a line arrives on stdin. Then
        prints its figures and disconnects them all.

    bench-push-clients.py churn ADDR WS_N SIO_N CONCURRENCY
        WS_N /api/ws clients (connect, receive the history, close) and SIO_N
        Socket.IO clients (connect with default transports, receive the
        first `tegrastats_update`, disconnect), CONCURRENCY of each kind at
        a time, both kinds at once. Prints its figures.

    bench-push-clients.py silent ADDR RCVBUF
        Opens /api/ws and a Socket.IO websocket session
        (/socket.io/?EIO=4&transport=websocket, then the Socket.IO CONNECT
        packet `40`) on raw sockets (SO_RCVBUF set to RCVBUF bytes before
        connecting; 0 keeps the kernel's default), reads the 101 head and
        then nothing more. Prints `ready` and holds them: at each `sample`
        line on stdin it notes what the kernel holds for them (the client's
        unread bytes and the daemon's unsent ones, from /proc/net/tcp); at
        `stop` (or end of input) it prints those, checks that a new /api/ws
        client is still served promptly, and closes them.

Figures are `key: value` lines on stdout; progress goes to stderr.
"""

import asyncio
import base64
import concurrent.futures
import json
import os
import socket
import statistics
import sys
import threading
import time

import socketio
import websockets


def say(*args):
    print(*args, flush=True)


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def spread(counts):
    """`min/median/max` of a list of counts."""
    if not counts:
        return "0/0/0"
    return f"{min(counts)}/{statistics.median(counts):g}/{max(counts)}"


async def stdin_line():
    return await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


# ---------------------------------------------------------------- hold
class SioClient:
    """One python-socketio client (its own threads) counting updates."""

    def __init__(self, url):
        self.url = url
        self.updates = 0
        self.first = threading.Event()
        self.disconnects = 0
        self.sio = socketio.Client(reconnection=False, handle_sigint=False)
        self.sio.on("tegrastats_update", self.on_update)
        self.sio.on("disconnect", self.on_disconnect)

    def on_update(self, data):
        self.updates += 1
        self.first.set()

    def on_disconnect(self, *args):
        self.disconnects += 1

    def connect(self):
        self.sio.connect(self.url, wait_timeout=10)
        # The upgrade from polling to websocket follows the connect.
        deadline = time.monotonic() + 10
        while self.sio.transport() != "websocket" and time.monotonic() < deadline:
            time.sleep(0.05)


class WsClient:
    """One `websockets` client on /api/ws counting `stats` messages."""

    def __init__(self, url):
        self.url = url
        self.updates = 0
        self.first_type = None
        self.first = asyncio.Event()
        self.closed = None
        self.ws = None

    async def run(self):
        try:
            async with websockets.connect(self.url, max_size=None) as ws:
                self.ws = ws
                async for message in ws:
                    kind = json.loads(message)["type"]
                    if self.first_type is None:
                        self.first_type = kind
                    elif kind == "stats":
                        self.updates += 1
                        self.first.set()
        except websockets.exceptions.ConnectionClosed as e:
            self.closed = f"{e.rcvd.code if e.rcvd else 'none'}"
        except OSError as e:
            self.closed = repr(e)


async def hold(addr, sio_n, ws_n):
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(sio_n, 1))
    loop = asyncio.get_running_loop()
    t0 = time.monotonic()
    wss = [WsClient(f"ws://{addr}/api/ws") for _ in range(ws_n)]
    tasks = [asyncio.create_task(w.run()) for w in wss]
    sios = [SioClient(f"http://{addr}") for _ in range(sio_n)]
    # Socket.IO connects block (their own threads): one after another, off the loop.
    for s in sios:
        await loop.run_in_executor(pool, s.connect)
    for w in wss:
        await asyncio.wait_for(w.first.wait(), 15)
    for s in sios:
        await loop.run_in_executor(pool, s.first.wait, 15)
    connect_s = time.monotonic() - t0
    start_ws = [w.updates for w in wss]
    start_sio = [s.updates for s in sios]
    say("ready")
    w0 = time.monotonic()
    await stdin_line()
    window = time.monotonic() - w0
    ws_counts = [w.updates - c for w, c in zip(wss, start_ws)]
    sio_counts = [s.updates - c for s, c in zip(sios, start_sio)]
    transports = [s.sio.transport() for s in sios]
    say(f"window_s: {window:.2f}")
    say(f"connect_s: {connect_s:.2f}")
    say(f"ws_clients: {ws_n}")
    say(f"sio_clients: {sio_n}")
    say(f"ws_updates: {spread(ws_counts)}")
    say(f"sio_updates: {spread(sio_counts)}")
    say(f"ws_updates_total: {sum(ws_counts)}")
    say(f"sio_updates_total: {sum(sio_counts)}")
    say(f"ws_first_history: {sum(w.first_type == 'history' for w in wss)}")
    say(f"sio_websocket: {transports.count('websocket')}")
    say(f"ws_dropped: {sum(w.closed is not None for w in wss)}")
    say(f"sio_dropped: {sum(s.disconnects for s in sios)}")
    for w in wss:
        if w.ws is not None:
            await w.ws.close()
    await asyncio.gather(*tasks, return_exceptions=True)
    for s in sios:
        await loop.run_in_executor(pool, s.sio.disconnect)
    pool.shutdown()


# --------------------------------------------------------------- churn
def sio_once(url):
    sio = socketio.Client(reconnection=False, handle_sigint=False)
    got = threading.Event()
    sio.on("tegrastats_update", lambda data: got.set())
    sio.connect(url, wait_timeout=10)
    try:
        if not got.wait(10):
            raise TimeoutError("no tegrastats_update within 10 s")
    finally:
        sio.disconnect()


async def ws_once(url):
    async with websockets.connect(url, max_size=None) as ws:
        first = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if first["type"] != "history":
            raise ValueError(f"first message {first['type']!r}, not history")


async def churn(addr, ws_n, sio_n, conc):
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=conc)
    loop = asyncio.get_running_loop()
    ws_gate, sio_gate = asyncio.Semaphore(conc), asyncio.Semaphore(conc)
    errors = []
    done = {"ws": 0, "sio": 0}

    async def one_ws():
        async with ws_gate:
            try:
                await ws_once(f"ws://{addr}/api/ws")
                done["ws"] += 1
            except Exception as e:  # noqa: BLE001 - counted and reported
                errors.append(f"ws: {e!r}")

    async def one_sio():
        async with sio_gate:
            try:
                await loop.run_in_executor(pool, sio_once, f"http://{addr}")
                done["sio"] += 1
            except Exception as e:  # noqa: BLE001 - counted and reported
                errors.append(f"sio: {e!r}")

    t0 = time.monotonic()
    await asyncio.gather(*[one_ws() for _ in range(ws_n)], *[one_sio() for _ in range(sio_n)])
    say(f"churn_s: {time.monotonic() - t0:.2f}")
    say(f"ws_ok: {done['ws']}")
    say(f"sio_ok: {done['sio']}")
    say(f"failed: {len(errors)}")
    for e in errors[:5]:
        log(e)
    pool.shutdown()


# -------------------------------------------------------------- silent
def handshake(addr, path, rcvbuf):
    host, port = addr.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: Upgrade\r\n"
               f"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Key: {key}\r\n\r\n").encode())
    head = b""
    while not head.endswith(b"\r\n\r\n"):  # the head only, byte by byte
        b = s.recv(1)
        if not b:
            raise ConnectionError(f"{path}: closed during the handshake")
        head += b
    if not head.startswith(b"HTTP/1.1 101"):
        raise ConnectionError(f"{path}: {head.splitlines()[0]!r}")
    return s


def text_frame(payload):
    """A masked client text frame (payload < 126 bytes)."""
    mask = os.urandom(4)
    return bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def tcp_table():
    """{(local_port, remote_port): (state, tx_queue, rx_queue)} of loopback IPv4 sockets."""
    out = {}
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            cols = line.split()
            local, remote, state, queues = cols[1], cols[2], cols[3], cols[4]
            tx, rx = (int(q, 16) for q in queues.split(":"))
            out[(int(local.split(":")[1], 16), int(remote.split(":")[1], 16))] = (state, tx, rx)
    return out


def queues(socks, port):
    """Per socket: (client's unread bytes, daemon's unsent bytes, client state, daemon state)."""
    table = tcp_table()
    out = {}
    for name, s in socks.items():
        me = s.getsockname()[1]
        state, _, unread = table.get((me, port), ("gone", 0, 0))
        srv_state, unsent, _ = table.get((port, me), ("gone", 0, 0))
        out[name] = (unread, unsent, TCP_STATES.get(state, state), TCP_STATES.get(srv_state, srv_state))
    return out


TCP_STATES = {"01": "established", "04": "fin_wait1", "05": "fin_wait2", "06": "time_wait",
              "07": "close", "08": "close_wait", "09": "last_ack", "0B": "closing"}


async def silent(addr, rcvbuf):
    port = int(addr.rsplit(":", 1)[1])
    ws = handshake(addr, "/api/ws", rcvbuf)
    sio = handshake(addr, "/socket.io/?EIO=4&transport=websocket", rcvbuf)
    sio.sendall(text_frame(b"40"))  # Socket.IO CONNECT: updates start
    socks = {"ws": ws, "sio": sio}
    say("ready")
    series = []
    # `sample` lines (one per RSS reading of ci/bench-push) until `stop`.
    while (await stdin_line()).strip() == "sample":
        series.append(queues(socks, port))
    last = queues(socks, port)
    for name, s in socks.items():
        unread, unsent, state, srv_state = last[name]
        say(f"{name}_client_unread_bytes: {unread}")
        say(f"{name}_daemon_unsent_bytes: {unsent}")
        say(f"{name}_daemon_unsent_series: {','.join(str(q[name][1]) for q in series)}")
        say(f"{name}_tcp_state: {state}")
        say(f"{name}_daemon_tcp_state: {srv_state}")
        say(f"{name}_rcvbuf: {s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)}")
    # Still served promptly, next to the two that never read.
    t0 = time.monotonic()
    async with websockets.connect(f"ws://{addr}/api/ws", max_size=None) as probe:
        first = json.loads(await asyncio.wait_for(probe.recv(), 10))
        history_s = time.monotonic() - t0
        second = json.loads(await asyncio.wait_for(probe.recv(), 10))
        stats_s = time.monotonic() - t0
    say(f"probe_history_s: {history_s:.3f}")
    say(f"probe_stats_s: {stats_s:.3f}")
    say(f"probe_order: {first['type']},{second['type']}")
    for s in socks.values():
        s.close()


def main():
    mode, addr, *rest = sys.argv[1:]
    if mode == "hold":
        asyncio.run(hold(addr, int(rest[0]), int(rest[1])))
    elif mode == "churn":
        asyncio.run(churn(addr, int(rest[0]), int(rest[1]), int(rest[2])))
    elif mode == "silent":
        asyncio.run(silent(addr, int(rest[0])))
    else:
        sys.exit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()
