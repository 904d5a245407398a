"""Seed 000's Python client (python-socketio), as its README writes it,
with the address and the transports taken from the command line:

    python3 socketio_client.py http://127.0.0.1:PORT [polling|websocket|default] [namespace]

Prints one line per update and exits 0 after three `tegrastats_update`
events; exits 1 on a connection error, printing it.
"""
import sys

import socketio

url = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else "default"
namespace = sys.argv[3] if len(sys.argv) > 3 else None
sio = socketio.Client()
updates = []


@sio.event
def connect():
    print('Connected to server')


@sio.event
def tegrastats_update(data):
    print(f"CPU: {data['cpu']['cores'][0]['usage']}%")
    print(f"Memory: {data['memory']['ram']['used']}MB")
    print(f"Temperature: {data['temperature']['cpu']}°C")
    print(f"transport: {sio.transport()}")
    updates.append(data)
    if len(updates) >= 3:
        sio.disconnect()


kwargs = {} if mode == "default" else {"transports": [mode]}
if namespace:
    kwargs["namespaces"] = [namespace]
try:
    sio.connect(url, wait_timeout=5, **kwargs)
except socketio.exceptions.ConnectionError as e:
    print(f"connection error: {e}")
    sys.exit(1)
sio.wait()
print(f"updates: {len(updates)}")
sys.exit(0 if len(updates) >= 3 else 1)
