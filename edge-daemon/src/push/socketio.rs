//! Socket.IO 5 over Engine.IO 4 at `/socket.io/`, as seed 000 serves it:
//! HTTP long-polling, the upgrade to websocket, and websocket-only
//! clients. Every connected client gets `tegrastats_update` with the
//! `/api/status` object once per sample.
//!
//! A session holds no queue of updates: it remembers which sample it last
//! delivered and is handed the newest one when it can take it, so a slow
//! client costs the same memory as a fast one. Control packets (pings,
//! acknowledgements) are few and bounded.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::time::{Duration, Instant};

use async_tungstenite::tungstenite::protocol::CloseFrame;
use async_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use async_tungstenite::tungstenite::{Error as WsError, Message};
use event_listener::Event;
use smol::stream::StreamExt;

use super::engineio::{self, Incoming, SEPARATOR};
use super::upgrade::{Socket, close, send};

/// The Engine.IO ping interval sent in the handshake.
pub const PING_INTERVAL: Duration = Duration::from_secs(25);

/// How long a client has to answer a ping. With the interval, a client
/// that went silent is dropped within 30 s, seed 000's connection timeout.
pub const PING_TIMEOUT: Duration = Duration::from_secs(5);

/// A session that has not sent Socket.IO CONNECT by then is dropped (as
/// socket.io's `connectTimeout`). Real clients send it at once; the
/// deadline is short so that handshakes alone, which hold no connection,
/// cannot squat the live-client slots.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest polling POST body and websocket message, announced as
/// `maxPayload`.
pub const MAX_PAYLOAD: usize = 64 * 1024;

/// Control packets a session may have waiting; a client that lets more
/// pile up is not reading and is dropped.
const MAX_CONTROL: usize = 16;

/// The event name seed 000 defines.
pub const EVENT: &str = "tegrastats_update";

/// How a session's packets travel now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transport {
    Polling,
    /// The client probed the websocket; polling is being wound down.
    Upgrading,
    Websocket,
}

/// One client.
pub struct Session {
    /// The Engine.IO session id.
    pub sid: String,
    /// The client's address, for the per-address cap.
    pub ip: std::net::IpAddr,
    state: RefCell<State>,
    wake: Event,
}

struct State {
    transport: Transport,
    connected: bool,
    /// Whether CONNECT ever came: the CONNECT deadline is for sessions
    /// that never sent it, not for one that left "/" and stays.
    connected_once: bool,
    control: VecDeque<String>,
    delivered: u64,
    created: Instant,
    next_ping: Instant,
    ping_sent: Option<Instant>,
    /// The long-poll waiting now (its number, 0 for none) and its client.
    poll: (u64, Option<crate::hub::Peer>),
    /// Long-polls numbered so far.
    polls: u64,
    /// A websocket is attached (at most one per session).
    websocket: bool,
    closed: Option<Closed>,
    /// Binary frames still to come for an ignored binary packet.
    attachments: usize,
}

/// Who ended a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// The client sent `1`: a waiting poll is let go with a noop.
    ByClient,
    /// The server (a protocol error, a timeout): a waiting poll gets `1`.
    ByServer,
}

/// All sessions, and the latest `tegrastats_update` packet.
#[derive(Default)]
pub struct Hub {
    sessions: RefCell<HashMap<String, Rc<Session>>>,
    update: RefCell<Option<(u64, String)>>,
    changed: Event,
}

/// What a polling request gets back.
pub enum Poll {
    /// Packets joined by the separator.
    Payload(String),
    /// A second GET while one is waiting: a protocol error, the session
    /// is closed.
    Overlapping,
    /// The session went over to its websocket: polling is a protocol
    /// error (400), and nothing is acted on.
    Upgraded,
}

impl Hub {
    /// Open sessions.
    pub fn len(&self) -> usize {
        self.sessions.borrow().len()
    }

    /// Sessions open from `ip`.
    pub fn from(&self, ip: std::net::IpAddr) -> u32 {
        let n = self.sessions.borrow().values().filter(|s| s.ip == ip).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Whether no session is open.
    pub fn is_empty(&self) -> bool {
        self.sessions.borrow().is_empty()
    }

    /// A new session; its open packet is returned.
    pub fn open(&self, websocket_upgrade: bool, ip: std::net::IpAddr) -> (Rc<Session>, String) {
        let sid = super::random_id();
        let now = Instant::now();
        let session = Rc::new(Session {
            sid: sid.clone(),
            ip,
            state: RefCell::new(State {
                transport: if websocket_upgrade {
                    Transport::Polling
                } else {
                    Transport::Websocket
                },
                connected: false,
                connected_once: false,
                control: VecDeque::new(),
                delivered: 0,
                created: now,
                next_ping: now + PING_INTERVAL,
                ping_sent: None,
                poll: (0, None),
                polls: 0,
                websocket: !websocket_upgrade,
                closed: None,
                attachments: 0,
            }),
            wake: Event::new(),
        });
        self.sessions.borrow_mut().insert(sid.clone(), session.clone());
        self.changed.notify(usize::MAX);
        let open = engineio::open(
            &sid,
            websocket_upgrade,
            ms(PING_INTERVAL),
            ms(PING_TIMEOUT),
            MAX_PAYLOAD,
        );
        (session, open)
    }

    /// The session `sid`, if open.
    pub fn get(&self, sid: &str) -> Option<Rc<Session>> {
        self.sessions.borrow().get(sid).cloned()
    }

    /// Publishes the newest sample's update packet and wakes every session.
    pub fn publish(&self, seq: u64, status_json: &[u8]) {
        let packet = String::from_utf8_lossy(&engineio::event(EVENT, status_json)).into_owned();
        *self.update.borrow_mut() = Some((seq, packet));
        for session in self.sessions.borrow().values() {
            session.wake.notify(usize::MAX);
        }
    }

    /// Sends pings, drops sessions that stopped answering or never
    /// connected, and forgets closed ones. Returns when there is nothing
    /// to watch, after waiting for a session to appear.
    pub async fn watch(&self) {
        loop {
            if self.sessions.borrow().is_empty() {
                let listener = self.changed.listen();
                if self.sessions.borrow().is_empty() {
                    listener.await;
                }
                continue;
            }
            smol::Timer::after(Duration::from_secs(1)).await;
            let now = Instant::now();
            self.sessions.borrow_mut().retain(|_, session| {
                let mut s = session.state.borrow_mut();
                let silent =
                    s.ping_sent.is_some_and(|sent| now.duration_since(sent) > PING_TIMEOUT);
                let never_connected =
                    !s.connected_once && now.duration_since(s.created) > CONNECT_TIMEOUT;
                if silent || never_connected {
                    s.closed.get_or_insert(Closed::ByServer);
                }
                if s.closed.is_none() && s.ping_sent.is_none() && now >= s.next_ping {
                    s.control.push_back("2".into());
                    s.ping_sent = Some(now);
                    s.next_ping = now + PING_INTERVAL;
                }
                session.wake.notify(usize::MAX);
                s.closed.is_none()
            });
        }
    }

    /// Ends `session`: it is gone from the hub at once (a later request
    /// with its sid gets "Session ID unknown"), and whoever serves it is
    /// woken to say so.
    pub fn close(&self, session: &Session, by: Closed) {
        session.state.borrow_mut().closed.get_or_insert(by);
        self.sessions.borrow_mut().remove(&session.sid);
        session.wake.notify(usize::MAX);
    }

    /// Handles the packets of a polling POST body. `Err` is a protocol
    /// error; the session is then closed.
    pub fn receive(&self, session: &Session, body: &str) -> Result<(), Refused> {
        if session.state.borrow().transport == Transport::Websocket {
            return Err(Refused::Upgraded);
        }
        for packet in body.split(SEPARATOR) {
            if let Err(e) = self.handle(session, packet) {
                self.close(session, Closed::ByServer);
                return Err(Refused::Packet(e));
            }
        }
        Ok(())
    }

    /// A long-polling GET: waits until something is ready (at most one
    /// ping interval) and returns it. A second GET while one waits is a
    /// protocol error that ends the session, unless the first one's client
    /// is gone (a dropped connection): the new one takes over, and the old
    /// one is let go with a noop, taking nothing.
    pub async fn poll(&self, session: &Session, peer: Option<crate::hub::Peer>) -> Poll {
        let number = {
            let mut s = session.state.borrow_mut();
            if s.transport == Transport::Websocket {
                return Poll::Upgraded;
            }
            let waiting = s.poll.0 != 0;
            if waiting && !s.poll.1.as_ref().is_some_and(crate::hub::Peer::gone) {
                drop(s);
                self.close(session, Closed::ByServer);
                return Poll::Overlapping;
            }
            s.polls += 1;
            s.poll = (s.polls, peer.clone());
            s.polls
        };
        // Wake a poll that was taken over, so that it goes.
        session.wake.notify(usize::MAX);
        // Cleared however the GET ends: answered, or dropped by hyper when
        // the connection goes away, unless another poll took over.
        struct Polling<'a>(&'a Session, u64);
        impl Drop for Polling<'_> {
            fn drop(&mut self) {
                let mut s = self.0.state.borrow_mut();
                if s.poll.0 == self.1 {
                    s.poll = (0, None);
                }
            }
        }
        let _polling = Polling(session, number);
        let deadline = Instant::now() + PING_INTERVAL + PING_TIMEOUT;
        let payload = loop {
            let listener = session.wake.listen();
            let taken_over = session.state.borrow().poll.0 != number;
            if taken_over || peer.as_ref().is_some_and(crate::hub::Peer::gone) {
                break "6".to_owned();
            }
            let packets = self.take(session, true);
            if !packets.is_empty() || Instant::now() >= deadline {
                break packets.join(&SEPARATOR.to_string());
            }
            smol::future::or(listener, async {
                smol::Timer::at(deadline).await;
            })
            .await;
        };
        Poll::Payload(payload)
    }

    /// Serves one session on its websocket until either side closes.
    /// `upgrading` is true when the session started with polling.
    pub async fn serve_websocket(
        &self,
        session: Rc<Session>,
        mut socket: Socket,
        upgrading: bool,
        open: Option<String>,
    ) {
        if let Some(open) = open {
            if !send(&mut socket, Message::text(open)).await {
                self.close(&session, Closed::ByServer);
            }
        }
        loop {
            let listener = session.wake.listen();
            let upgraded = session.state.borrow().transport == Transport::Websocket;
            if upgraded || !upgrading {
                for packet in self.take(session.as_ref(), false) {
                    if !send(&mut socket, Message::text(packet)).await {
                        self.close(&session, Closed::ByServer);
                        break;
                    }
                }
            }
            let closed = session.state.borrow().closed;
            if let Some(by) = closed {
                if by == Closed::ByServer {
                    let _ = send(&mut socket, Message::text("1")).await;
                }
                close(&mut socket, None).await;
                break;
            }
            enum Next {
                Frame(Option<Result<Message, async_tungstenite::tungstenite::Error>>),
                Wake,
            }
            let next = smol::future::or(async { Next::Frame(socket.next().await) }, async {
                listener.await;
                Next::Wake
            })
            .await;
            match next {
                Next::Wake => {}
                Next::Frame(Some(Ok(Message::Text(text)))) => {
                    if let Ok(Incoming::Ping { data: "probe" }) = engineio::decode(&text) {
                        session.state.borrow_mut().transport = Transport::Upgrading;
                        // Release a GET that is waiting so the client can upgrade.
                        session.wake.notify(usize::MAX);
                        if !send(&mut socket, Message::text("3probe")).await {
                            self.close(&session, Closed::ByServer);
                        }
                        continue;
                    }
                    if let Err(e) = self.handle(&session, &text) {
                        let frame =
                            CloseFrame { code: CloseCode::Protocol, reason: e.to_string().into() };
                        close(&mut socket, Some(frame)).await;
                        self.close(&session, Closed::ByServer);
                        break;
                    }
                }
                Next::Frame(Some(Ok(Message::Binary(_)))) => {
                    // A binary packet's attachment, or any binary message:
                    // this server has no use for them, and the client is
                    // not at fault.
                    let mut s = session.state.borrow_mut();
                    s.attachments = s.attachments.saturating_sub(1);
                }
                Next::Frame(Some(Ok(_))) => {} // ping/pong frames: tungstenite answers them
                Next::Frame(Some(Err(WsError::Capacity(_)))) => {
                    // Over maxPayload: the protocol's 1009, not a dropped socket.
                    let frame =
                        CloseFrame { code: CloseCode::Size, reason: "message too big".into() };
                    close(&mut socket, Some(frame)).await;
                    self.close(&session, Closed::ByServer);
                    break;
                }
                Next::Frame(Some(Err(_)) | None) => {
                    let mut s = session.state.borrow_mut();
                    if upgrading && s.transport != Transport::Websocket {
                        // The upgrade failed before `5`: the client goes on
                        // polling, as Engine.IO expects.
                        s.transport = Transport::Polling;
                        s.websocket = false;
                        drop(s);
                        session.wake.notify(usize::MAX);
                        return;
                    }
                    drop(s);
                    self.close(&session, Closed::ByServer);
                    break;
                }
            }
        }
        self.sessions.borrow_mut().remove(&session.sid);
    }

    /// Claims the one websocket a polling session may upgrade to; `false`
    /// if one is already attached.
    pub fn attach_websocket(&self, session: &Session) -> Attach {
        let mut s = session.state.borrow_mut();
        if s.transport == Transport::Websocket {
            return Attach::Upgraded;
        }
        if s.websocket || s.transport != Transport::Polling {
            return Attach::Busy;
        }
        s.websocket = true;
        Attach::Attached
    }

    /// Forgets the newest update (no client is left to send it to), so a
    /// client that connects later waits for a fresh sample instead.
    pub fn forget_update(&self) {
        *self.update.borrow_mut() = None;
    }

    /// One packet from the client.
    fn handle(&self, session: &Session, packet: &str) -> Result<(), engineio::PacketError> {
        let mut s = session.state.borrow_mut();
        match engineio::decode(packet)? {
            Incoming::Pong => s.ping_sent = None,
            Incoming::Ping { data } => s.control.push_back(format!("3{data}")),
            Incoming::Upgrade => s.transport = Transport::Websocket,
            Incoming::Noop | Incoming::Event | Incoming::Binary => {}
            Incoming::BinaryEvent { attachments } => s.attachments += attachments,
            Incoming::Connect => {
                s.connected = true;
                s.connected_once = true;
                s.control.push_back(engineio::connected(&super::random_id()));
            }
            Incoming::ConnectNamespace { namespace } => {
                s.control.push_back(engineio::namespace_refused(namespace));
            }
            Incoming::Disconnect => s.connected = false,
            Incoming::Close => {
                drop(s);
                self.close(session, Closed::ByClient);
                return Ok(());
            }
        }
        if s.control.len() > MAX_CONTROL {
            drop(s);
            self.close(session, Closed::ByServer);
            return Ok(());
        }
        drop(s);
        session.wake.notify(usize::MAX);
        Ok(())
    }

    /// Takes what is ready for `session`: control packets, then the newest
    /// update if it has not had it. A polling GET after the upgrade gets a
    /// noop so the client lets it go.
    fn take(&self, session: &Session, polling: bool) -> Vec<String> {
        let mut s = session.state.borrow_mut();
        match s.closed {
            // The client's own close lets its waiting GET go with a noop.
            Some(Closed::ByClient) if polling => return vec!["6".into()],
            Some(_) => return vec!["1".into()],
            None => {}
        }
        if polling && s.transport != Transport::Polling {
            return vec!["6".into()];
        }
        let mut packets: Vec<String> = s.control.drain(..).collect();
        if s.connected {
            if let Some((seq, packet)) = self.update.borrow().as_ref() {
                if *seq > s.delivered {
                    s.delivered = *seq;
                    packets.push(packet.clone());
                }
            }
        }
        packets
    }
}

/// What a websocket for an existing session gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attach {
    /// It is the session's one websocket, for the upgrade.
    Attached,
    /// Another websocket is attached and the upgrade is under way: 400.
    Busy,
    /// The session went over to another websocket: this one is accepted
    /// and closed at once, as Engine.IO says to.
    Upgraded,
}

/// Why a polling POST was not acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A packet was not one; the session is closed.
    Packet(engineio::PacketError),
    /// The session went over to its websocket.
    Upgraded,
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
