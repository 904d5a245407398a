//! The store on both backends, with report times chosen by the test: days
//! that add up, traffic per interface, retention, a report the database
//! refuses, and names that follow the host until a user sets one. SQLite
//! always; PostgreSQL when `EDGESTAT_TEST_POSTGRES_URL` names a server
//! (required under CI, as for the HTTP tests).

use super::{Edit, IngestRules, Pending, PendingKind, Store};
use crate::ingest::{Queue, flush};
use crate::report::{self, Heartbeat, Resource};
use edgestat_common::time::{DAY_MS, day_of, parse_date};

const ORIN: &str = "4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42";
const NANO: &str = "1d3f5b7a9c2e4f6a8b0c2d4e6f8a0b1c";

fn orin_resource(id: &str, at: i64, cpu: f64, eth0: (u64, u64)) -> Pending {
    let mut r: Resource =
        report::resource(include_bytes!("../../tests/fixtures/orin-resource.json")).unwrap();
    r.client_id = id.to_owned();
    r.resource.cpu.usage_percent = Some(cpu);
    let eth = r.resource.network.iter_mut().find(|n| n.interface == "eth0").unwrap();
    (eth.rx_bytes, eth.tx_bytes) = eth0;
    Pending { at, kind: PendingKind::Resource(Box::new(r)) }
}

fn orin_heartbeat(id: &str, at: i64) -> Pending {
    let mut h: Heartbeat =
        report::heartbeat(include_bytes!("../../tests/fixtures/orin-heartbeat.json")).unwrap();
    h.client_id = id.to_owned();
    Pending { at, kind: PendingKind::Heartbeat(Box::new(h)) }
}

/// A database dropped with the test.
struct Db {
    store: Option<Store>,
    name: &'static str,
    url: String,
    cleanup: Box<dyn FnMut()>,
}

impl Drop for Db {
    fn drop(&mut self) {
        self.store = None;
        (self.cleanup)();
    }
}

impl Db {
    fn store(&mut self) -> &mut Store {
        self.store.as_mut().unwrap()
    }
}

/// Fresh databases at the latest schema.
fn databases(tag: &str) -> Vec<Db> {
    let mut all = empty_databases(tag);
    for db in &mut all {
        db.store = Some(Store::open(&db.url).unwrap());
    }
    all
}

/// Fresh databases with no schema yet (`store` is `None`).
fn empty_databases(tag: &str) -> Vec<Db> {
    let dir = std::env::temp_dir().join(format!("fleet-store-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("fleet.db");
    let mut all = vec![Db {
        store: None,
        url: format!("sqlite:{}", file.display()),
        name: "sqlite",
        cleanup: Box::new(move || drop(std::fs::remove_dir_all(&dir))),
    }];
    match std::env::var("EDGESTAT_TEST_POSTGRES_URL") {
        Ok(server) => {
            let db = format!("fleet_store_{tag}_{}", std::process::id());
            let mut admin = postgres::Client::connect(&server, postgres::NoTls).unwrap();
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db}")).unwrap();
            admin.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
            let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
            all.push(Db {
                store: None,
                url: format!("{base}/{db}"),
                name: "postgres",
                cleanup: Box::new(move || {
                    let _ =
                        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
                }),
            });
        }
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("CI is set but EDGESTAT_TEST_POSTGRES_URL is not")
        }
        Err(_) => {}
    }
    all
}

fn rules(user: Option<&str>) -> IngestRules {
    IngestRules { auto_register_user: user.map(str::to_owned), online_window_ms: 120_000 }
}

fn at(day: &str, h: i64, m: i64, s: i64) -> i64 {
    parse_date(day).unwrap() * DAY_MS + ((h * 60 + m) * 60 + s) * 1000
}

#[test]
fn days_add_up_and_traffic_is_counted_per_interface() {
    for mut db in databases("days") {
        let name = db.name;
        let s = db.store();
        let r = rules(Some("12"));
        let eth0 = (2_310_544_821, 98_441_207);
        // 2026-11-30: three reports in two minutes, then a reboot (eth0
        // back near zero) and wlan0 appearing with 2 GB since its boot.
        let mut reboot = orin_resource(ORIN, at("2026-11-30", 10, 1, 40), 30.0, (4_096, 1_024));
        if let PendingKind::Resource(res) = &mut reboot.kind {
            let mut wlan = res.resource.network[1].clone();
            (wlan.interface, wlan.rx_bytes, wlan.tx_bytes) = ("wlan0".into(), 2_000_000_000, 5);
            res.resource.network.push(wlan);
        }
        let batch = [
            orin_resource(ORIN, at("2026-11-30", 10, 0, 0), 10.0, eth0),
            orin_resource(ORIN, at("2026-11-30", 10, 0, 10), 20.0, (eth0.0 + 1_000, eth0.1 + 10)),
            orin_heartbeat(ORIN, at("2026-11-30", 10, 0, 20)),
            orin_resource(ORIN, at("2026-11-30", 10, 1, 5), 60.0, (eth0.0 + 3_000, eth0.1 + 30)),
            reboot,
            // Next day, with wlan0 now counting.
            orin_resource(ORIN, at("2026-12-01", 0, 0, 30), 40.0, (5_096, 1_124)),
        ];
        s.write_reports(&batch[..5], &r).unwrap();
        // The batch written again (its COMMIT was cut off by a lost
        // connection but took effect) changes nothing.
        let before =
            (s.daily_rows("12", None, 0).unwrap(), s.health_rows("12", None, 0, i64::MAX).unwrap());
        s.write_reports(&batch[..5], &r).unwrap();
        let after =
            (s.daily_rows("12", None, 0).unwrap(), s.health_rows("12", None, 0, i64::MAX).unwrap());
        assert_eq!(after, before, "{name}");
        s.write_reports(&batch[5..], &r).unwrap();

        let rows = s.daily_rows("12", Some(ORIN), day_of(at("2026-11-29", 0, 0, 0))).unwrap();
        let days: Vec<_> = rows.iter().map(|d| (d.day, d.heartbeats, d.online_minutes)).collect();
        assert_eq!(
            days,
            [(day_of(at("2026-12-01", 0, 0, 0)), 1, 1), (day_of(at("2026-11-30", 0, 0, 0)), 4, 2)],
            "{name}: newest first; the heartbeat report counts a minute, not a heartbeat"
        );
        let nov30 = &rows[1];
        assert_eq!(nov30.avg_cpu, Some(30.0), "{name}: (10+20+60+30)/4");
        assert_eq!(nov30.avg_mem, Some(10.95), "{name}");
        // 1000 + 2000 on eth0, then the reboot counts eth0 from zero
        // (4096) and wlan0 not at all.
        assert_eq!(
            (nov30.net_in, nov30.net_out),
            (1_000 + 2_000 + 4_096, 10 + 20 + 1_024),
            "{name}"
        );
        assert_eq!((nov30.created_at, nov30.last_heartbeat), (batch[0].at, batch[4].at), "{name}");
        // eth0 1000 more, wlan0 gone: the last report has no wlan0.
        assert_eq!((rows[0].net_in, rows[0].net_out), (1_000, 100), "{name}");

        let health = s.health_rows("12", Some(ORIN), batch[0].at, batch[4].at + 1).unwrap();
        let series: Vec<_> = health.iter().map(|h| (h.cpu_usage, h.network_down)).collect();
        assert_eq!(
            series,
            [(Some(30.0), 4_096), (Some(60.0), 2_000), (Some(20.0), 1_000), (Some(10.0), 0)],
            "{name}: one row per resource report, newest first"
        );

        // uptime_rate on 2026-12-01: the Orin reported in 2 of 1440
        // minutes of 2026-11-30; a client registered today is not counted.
        let today = day_of(at("2026-12-01", 0, 0, 0));
        let rows = s.daily_rows("12", None, today - 1).unwrap();
        let registered = [(ORIN, batch[0].at), (NANO, at("2026-12-01", 0, 0, 0))];
        let rate = crate::api::monitor::uptime_rate(&registered, &rows, today);
        assert!((rate - 2.0 / 1440.0 * 100.0).abs() < 1e-9, "{name}: {rate}");
        assert_eq!(crate::api::monitor::uptime_rate(&registered[1..], &rows, today), 0.0);
    }
}

#[test]
fn retention_drops_old_rows_and_nodes_nobody_claimed() {
    for mut db in databases("prune") {
        let name = db.name;
        let s = db.store();
        let old = at("2026-10-01", 12, 0, 0);
        let recent = at("2026-11-30", 12, 0, 0);
        s.write_reports(&[orin_resource(ORIN, old, 10.0, (1, 1))], &rules(Some("12"))).unwrap();
        s.write_reports(&[orin_resource(ORIN, recent, 10.0, (2, 2))], &rules(Some("12"))).unwrap();
        s.write_reports(&[orin_resource(NANO, old, 10.0, (1, 1))], &rules(None)).unwrap();
        let cutoff = at("2026-11-01", 0, 0, 0);
        assert_eq!(s.prune_heartbeats(cutoff, 1).unwrap(), 1, "{name}: one per chunk");
        assert_eq!(s.prune_heartbeats(cutoff, 10).unwrap(), 1, "{name}");
        assert_eq!(s.prune_heartbeats(cutoff, 10).unwrap(), 0, "{name}");
        assert_eq!(s.prune_days_and_nodes(cutoff).unwrap(), 3, "{name}: 2 days, 1 client");
        let left = s.health_rows("12", None, 0, i64::MAX).unwrap();
        assert_eq!(left.iter().map(|h| h.ts).collect::<Vec<_>>(), [recent], "{name}");
        let days = s.daily_rows("12", None, 0).unwrap();
        assert_eq!(days.iter().map(|d| d.day).collect::<Vec<_>>(), [day_of(recent)], "{name}");
        let claimed = s.db.query("SELECT client_id FROM clients ORDER BY client_id", &[]).unwrap();
        assert_eq!(claimed.len(), 1, "{name}: the unclaimed node that went quiet is gone");
        assert_eq!(claimed[0][0].text(), Some(ORIN), "{name}");
    }
}

#[test]
fn a_report_the_database_refuses_is_dropped_alone() {
    for mut db in databases("poison") {
        let name = db.name;
        // Make the database refuse the Nano's heartbeat rows, as a
        // constraint or a value it cannot store would.
        match db.store().dialect() {
            super::Dialect::Sqlite => db.store().db.batch(&format!(
                "CREATE TRIGGER refuse BEFORE INSERT ON heartbeats WHEN NEW.client_id = '{NANO}'
                 BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )),
            super::Dialect::Postgres => db.store().db.batch(&format!(
                "ALTER TABLE heartbeats ADD CONSTRAINT refuse CHECK (client_id <> '{NANO}')"
            )),
        }
        .unwrap();
        let store = std::sync::Mutex::new(db.store.take().unwrap());
        let queue = Queue::default();
        let now = at("2026-11-30", 9, 0, 0);
        for p in [
            orin_resource(ORIN, now, 10.0, (1, 1)),
            orin_resource(NANO, now + 1, 10.0, (1, 1)),
            orin_resource(ORIN, now + 10_000, 20.0, (2, 2)),
        ] {
            queue.push(p).unwrap();
        }
        let done = flush(&queue, &store, &rules(Some("12"))).unwrap();
        assert_eq!((done.written, done.dropped, queue.len()), (2, 1, 0), "{name}");
        let mut s = store.into_inner().unwrap();
        let rows = s.health_rows("12", None, 0, i64::MAX).unwrap();
        assert_eq!(rows.iter().map(|h| h.cpu_usage).collect::<Vec<_>>(), [Some(20.0), Some(10.0)]);
        db.store = Some(s);
    }
}

#[test]
fn a_node_is_named_by_its_host_until_a_user_names_it() {
    for mut db in databases("names") {
        let name = db.name;
        let s = db.store();
        let r = rules(Some("12"));
        let t = at("2026-11-30", 9, 0, 0);
        s.write_reports(&[orin_resource(ORIN, t, 10.0, (1, 1))], &r).unwrap();
        let named = |s: &mut Store| s.clients_of("12", Some(ORIN)).unwrap()[0].name.clone();
        assert_eq!(named(s), "127.0.0.1", "{name}: a resource report carries only the address");
        s.write_reports(&[orin_heartbeat(ORIN, t + 5_000)], &r).unwrap();
        assert_eq!(named(s), "orin-devkit", "{name}");
        let edit = Edit {
            user_id: "12".into(),
            client_id: ORIN.into(),
            name: Some("bench 3".into()),
            ..Edit::default()
        };
        assert!(s.edit_client(&edit, t + 6_000).unwrap());
        s.write_reports(&[orin_heartbeat(ORIN, t + 10_000)], &r).unwrap();
        assert_eq!(named(s), "bench 3", "{name}: a user's name stays");
        // Editing something else does not make a name the user's.
        s.write_reports(&[orin_resource(NANO, t, 10.0, (1, 1))], &r).unwrap();
        let other = Edit {
            user_id: "12".into(),
            client_id: NANO.into(),
            os_type: Some("L4T".into()),
            ..Edit::default()
        };
        assert!(s.edit_client(&other, t + 6_000).unwrap());
        s.write_reports(&[orin_heartbeat(NANO, t + 10_000)], &r).unwrap();
        assert_eq!(s.clients_of("12", Some(NANO)).unwrap()[0].name, "orin-devkit", "{name}");
    }
}

#[test]
fn schema_2_keeps_the_names_users_gave() {
    for db in empty_databases("migrate") {
        let name = db.name;
        let mut raw = super::connect(&db.url).unwrap();
        super::schema::migrate_to(raw.as_mut(), 1).unwrap();
        let hb =
            |host: &str| format!(r#"{{"client_id":"x","hostname":"{host}","host_ip":"10.0.0.2"}}"#);
        let resource = r#"{"client_id":"x","host_ip":"10.0.0.2"}"#;
        // (client, name, identity, resource): named by its host, by its
        // address, by a user (also with LIKE's characters, or only the case
        // changed), and by a host name schema 1 cut to 32 characters.
        let long = "a".repeat(40);
        let rows = [
            (ORIN, "orin-devkit".to_owned(), Some(hb("orin-devkit")), Some(resource)),
            (NANO, "10.0.0.2".to_owned(), None, Some(resource)),
            (
                "00000000000000000000000000000003",
                "Rack 3 / bench".to_owned(),
                Some(hb("orin-devkit")),
                Some(resource),
            ),
            (
                "00000000000000000000000000000004",
                "orin_devkit%".to_owned(),
                Some(hb("orin-devkit")),
                None,
            ),
            (
                "00000000000000000000000000000005",
                "ORIN-DEVKIT".to_owned(),
                Some(hb("orin-devkit")),
                None,
            ),
            ("00000000000000000000000000000006", "a".repeat(32), Some(hb(&long)), None),
        ];
        for (id, n, identity, resource) in &rows {
            raw.exec(
                "INSERT INTO clients (client_id, user_id, name, client_status, valid_status, created_at, updated_at, identity, resource)
                 VALUES ($1, '12', $2, 'active', 'valid', 0, 0, $3, $4)",
                &[super::text(*id), super::text(n.as_str()), super::opt_text(identity.as_deref()), super::opt_text(*resource)],
            )
            .unwrap();
        }
        drop(raw);
        let mut s = Store::open(&db.url).unwrap();
        let set =
            s.db.query("SELECT client_id, name_set FROM clients ORDER BY client_id", &[]).unwrap();
        let set: Vec<(String, i64)> =
            set.iter().map(|r| (r[0].string(), r[1].int().unwrap())).collect();
        assert_eq!(
            set,
            [
                ("00000000000000000000000000000003".to_owned(), 1),
                ("00000000000000000000000000000004".to_owned(), 1),
                ("00000000000000000000000000000005".to_owned(), 1),
                ("00000000000000000000000000000006".to_owned(), 0),
                (NANO.to_owned(), 0),
                (ORIN.to_owned(), 0),
            ],
            "{name}"
        );
        // The user's name survives the next heartbeat; the address gives way.
        let r = rules(Some("12"));
        s.write_reports(&[orin_heartbeat("00000000000000000000000000000003", 1_000)], &r).unwrap();
        s.write_reports(&[orin_heartbeat(NANO, 1_000)], &r).unwrap();
        let names: Vec<String> =
            s.clients_of("12", None).unwrap().into_iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "Rack 3 / bench",
                "orin_devkit%",
                "ORIN-DEVKIT",
                &"a".repeat(32),
                "orin-devkit",
                "orin-devkit"
            ],
            "{name}"
        );
    }
}

#[test]
fn a_database_that_fails_keeps_the_batch_queued() {
    for mut db in databases("outage") {
        let name = db.name;
        let store = std::sync::Mutex::new(db.store.take().unwrap());
        let queue = Queue::default();
        let t = at("2026-11-30", 9, 0, 0);
        queue.push(orin_resource(ORIN, t, 10.0, (1, 1))).unwrap();
        queue.push(orin_resource(NANO, t, 20.0, (1, 1))).unwrap();
        // SQLite: another process holds the write lock past the busy
        // timeout. PostgreSQL: the server drops the connection.
        let blocker = match name {
            "sqlite" => {
                let path = db.url.strip_prefix("sqlite:").unwrap();
                let other = rusqlite::Connection::open(path).unwrap();
                other.execute_batch("BEGIN EXCLUSIVE").unwrap();
                Some(other)
            }
            _ => {
                let server = std::env::var("EDGESTAT_TEST_POSTGRES_URL").unwrap();
                let dbname = db.url.rsplit('/').next().unwrap().to_owned();
                let mut admin = postgres::Client::connect(&server, postgres::NoTls).unwrap();
                admin
                    .execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                        &[&dbname],
                    )
                    .unwrap();
                None
            }
        };
        let e = flush(&queue, &store, &rules(Some("12"))).unwrap_err();
        assert!(!e.refused, "{name}: {e}");
        assert_eq!(queue.len(), 2, "{name}: nothing dropped: {e}");
        drop(blocker);
        // The lock is gone / the connection is opened again.
        let done = flush(&queue, &store, &rules(Some("12"))).unwrap();
        assert_eq!((done.written, done.dropped, queue.len()), (2, 0, 0), "{name}");
        let mut s = store.into_inner().unwrap();
        assert_eq!(s.health_rows("12", None, 0, i64::MAX).unwrap().len(), 2, "{name}");
        db.store = Some(s);
    }
}

#[test]
fn postgres_statements_time_out_even_when_the_url_sets_options() {
    for db in databases("timeouts").into_iter().filter(|db| db.name == "postgres") {
        let show = |url: &str, what: &str| {
            let mut s = Store::open(url).unwrap();
            s.db.query(&format!("SHOW {what}"), &[]).unwrap()[0][0].string()
        };
        assert_eq!(show(&db.url, "statement_timeout"), "30s");
        let with_options = format!("{}?options=-c%20search_path%3Dpublic", db.url);
        assert_eq!(show(&with_options, "statement_timeout"), "30s");
        assert_eq!(show(&with_options, "search_path"), "public");
        let own = format!("{}?options=-c%20statement_timeout%3D5000", db.url);
        assert_eq!(show(&own, "statement_timeout"), "5s", "the URL's own value stays");
    }
}
