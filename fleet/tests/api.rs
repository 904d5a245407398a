//! The seed 002 API as its documentation uses it (the curl commands of its
//! "Complete Client Management Workflow"), its validation rules and status
//! codes, on every backend.

mod common;

use std::time::Duration;

use common::{Fleet, backends, orin_heartbeat, orin_resource};
use serde_json::{Value, json};

const SEED_CLIENT: &str = "6e1131b4b9cc454aa6ce3294ab860b2d";
const ORIN: &str = "4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42";

fn is_iso(v: &Value) -> bool {
    let s = v.as_str().unwrap_or_default();
    s.len() == 27 && s.ends_with('Z') && s.as_bytes()[10] == b'T'
}

#[test]
fn the_seed_workflow() {
    for db in backends("workflow") {
        let fleet = Fleet::start(&db, &[]);
        // 1. Create client (the seed's body, verbatim).
        let (code, body) = fleet.post(
            "/api/user/insert_client",
            &json!({"user_id": "12", "client_id": SEED_CLIENT, "client_status": "online", "os_type": "Linux", "name": "GPU Server 1"}),
        );
        assert_eq!(code, 200, "{}: {body}", db.name);
        let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["success", "data", "message", "timestamp"]);
        assert_eq!(
            (&body["success"], &body["data"], &body["message"]),
            (&json!(true), &json!([]), &json!("Operation successful"))
        );
        assert!(is_iso(&body["timestamp"]), "{body}");

        // 2. Get client list.
        let list = fleet.data("/api/user/client_list?user_id=12");
        assert_eq!(list["total"], 1);
        let d = &list["devices"][0];
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "client_id",
                "client_name",
                "client_status",
                "os_type",
                "device_name",
                "tflops",
                "cpu_usage",
                "memory_usage",
                "storage_usage",
                "health",
                "last_online",
                "created_at",
                "uptime_days",
                "valid_status"
            ]
        );
        assert_eq!(
            (&d["client_id"], &d["client_name"], &d["os_type"]),
            (&json!(SEED_CLIENT), &json!("GPU Server 1"), &json!("Linux"))
        );
        // Never heard from: offline, health 0, nothing measured.
        assert_eq!(
            (&d["client_status"], &d["health"], &d["cpu_usage"], &d["last_online"]),
            (&json!("offline"), &json!(0), &Value::Null, &Value::Null)
        );
        assert!(is_iso(&d["created_at"]));
        // client_status_list answers the same.
        assert_eq!(
            fleet.data("/api/user/client_status_list?user_id=12")["devices"],
            list["devices"]
        );

        // 3. Get client details.
        let detail = fleet
            .data(&format!("/api/user/client_device_detail?user_id=12&client_id={SEED_CLIENT}"));
        let keys: Vec<&str> =
            detail["system_info"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "health",
                "cpu_usage",
                "memory_usage",
                "storage_usage",
                "device_memsize",
                "uptime_days"
            ]
        );
        assert_eq!(detail["device_info"], json!([]));

        // 4. Update client information.
        let (code, body) = fleet.post(
            "/api/user/edit_client_info",
            &json!({"user_id": "12", "client_id": SEED_CLIENT, "name": "Updated GPU Server 1", "client_status": "maintenance"}),
        );
        assert_eq!((code, &body["data"]), (200, &Value::Null), "{body}");
        let d = &fleet.data("/api/user/client_list?user_id=12")["devices"][0];
        assert_eq!(
            (&d["client_name"], &d["client_status"]),
            (&json!("Updated GPU Server 1"), &json!("maintenance"))
        );

        // 5. Get client statistics.
        let stat = fleet.data("/api/user/client_stat?user_id=12");
        assert_eq!(
            stat,
            json!({"systems_total_number": 1, "systems_online_number": 0, "systems_maintenance_number": 1,
                   "systems_warnings_number": 0, "total_tflops": 0.0, "uptime_rate": 0.0})
        );

        // 6./7. Monitoring data and health: nothing reported yet.
        assert_eq!(fleet.data("/api/user/client_monitor?user_id=12"), json!([]));
        assert_eq!(
            fleet.data(&format!("/api/user/client_monitor?user_id=12&client_id={SEED_CLIENT}")),
            json!([])
        );
        assert_eq!(fleet.data("/api/user/client_health?user_id=12"), json!([]));
        assert_eq!(
            fleet.data(&format!("/api/user/client_health?user_id=12&client_id={SEED_CLIENT}&start_date=2025-07-01&end_date=2025-07-29")),
            json!([])
        );

        // Models: the seed's insert, then its two reads.
        let (code, body) = fleet.post(
            "/api/models/insert",
            &json!({"name": "llama-2-7b", "version": "1.0", "version_code": 1, "engine_type": 0, "is_active": true,
                    "min_memory_mb": 8192, "min_gpu_memory_gb": 16}),
        );
        assert_eq!((code, &body["data"]), (200, &Value::Null), "{body}");
        fleet.post("/api/models/insert", &json!({"name": "tiny", "version": "0.1", "version_code": 1, "engine_type": 1, "is_active": false, "min_gpu_memory_gb": 2}));
        let all = fleet.data("/api/models/get");
        assert_eq!(all.as_array().unwrap().len(), 2);
        let m = &all[0];
        let keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "id",
                "name",
                "version",
                "version_code",
                "engine_type",
                "is_active",
                "min_memory_mb",
                "min_gpu_memory_gb",
                "created_at"
            ]
        );
        assert_eq!(
            (&m["name"], &m["min_memory_mb"], &m["min_gpu_memory_gb"], &m["is_active"]),
            (&json!("llama-2-7b"), &json!(8192), &json!(16), &json!(true))
        );
        let active = fleet.data("/api/models/get?is_active=true&min_gpu_memory_gb=16");
        assert_eq!(
            active.as_array().unwrap().iter().map(|m| m["name"].clone()).collect::<Vec<_>>(),
            [json!("llama-2-7b")]
        );
        assert_eq!(fleet.data("/api/models/get?min_gpu_memory_gb=17"), json!([]));
        // Same name and version: an update, not a second model.
        fleet.post(
            "/api/models/insert",
            &json!({"name": "llama-2-7b", "version": "1.0", "version_code": 2, "engine_type": 0}),
        );
        let again = fleet.data("/api/models/get?is_active=true");
        assert_eq!((again.as_array().unwrap().len(), &again[0]["version_code"]), (1, &json!(2)));
    }
}

#[test]
fn reports_become_list_detail_health_and_daily_rows() {
    for db in backends("reports") {
        let fleet = Fleet::start(&db, &["--auto-register-user", "12", "--tflops", "AGX Orin=5.3"]);
        let (code, body) = fleet.post("/heartbeat", &orin_heartbeat(ORIN));
        assert_eq!((code, body), (200, Value::Null), "seed 003: 200 and an empty body");
        assert_eq!(fleet.post("/resource", &orin_resource(ORIN, 12.5, 1_000_000, 400_000)).0, 200);
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(fleet.post("/resource", &orin_resource(ORIN, 37.5, 1_250_000, 450_000)).0, 200);

        let list = fleet.until("/api/user/client_list?user_id=12", Duration::from_secs(5), |l| {
            l["devices"][0]["cpu_usage"] == json!(37.5)
        });
        let d = &list["devices"][0];
        assert_eq!(
            (&d["client_id"], &d["client_name"], &d["client_status"]),
            (&json!(ORIN), &json!("orin-devkit"), &json!("online"))
        );
        assert_eq!(
            (&d["os_type"], &d["device_name"]),
            (&json!("Ubuntu 22.04.5 LTS"), &json!("NVIDIA Jetson AGX Orin Developer Kit iGPU"))
        );
        assert_eq!(
            (&d["tflops"], &d["memory_usage"], &d["storage_usage"]),
            (&json!(5.3), &json!(11.0), &json!(44.3))
        );
        // Fresh, cool (44.4 C), not busy: full health.
        assert_eq!((&d["health"], &d["uptime_days"]), (&json!(100), &json!(0)));
        assert!(is_iso(&d["last_online"]));

        let detail =
            fleet.data(&format!("/api/user/client_device_detail?user_id=12&client_id={ORIN}"));
        assert_eq!(
            detail,
            json!({"system_info": {"health": 100, "cpu_usage": 37.5, "memory_usage": 11.0, "storage_usage": 44.3,
                                    "device_memsize": 62_841, "uptime_days": 0},
                   "device_info": [{"device_index": 0, "name": "NVIDIA Jetson AGX Orin Developer Kit iGPU",
                                    "temp": 43.0, "usage": 0.0, "mem_usage": null, "power_usage": 3.2}]})
        );

        // Heartbeats, newest first; traffic is eth0's growth between two
        // reports (the first has no predecessor), never lo's.
        let health = fleet.data("/api/user/client_health?user_id=12");
        assert_eq!(health.as_array().unwrap().len(), 2, "{health}");
        let h = &health[0];
        let keys: Vec<&str> = h.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "client_id",
                "client_name",
                "timestamp",
                "cpu_usage",
                "mem_usage",
                "disk_usage",
                "network_up",
                "network_down"
            ]
        );
        assert_eq!(
            (&h["cpu_usage"], &h["mem_usage"], &h["disk_usage"]),
            (&json!(37.5), &json!(11.0), &json!(44.3))
        );
        assert_eq!((&h["network_up"], &h["network_down"]), (&json!(50_000), &json!(250_000)));
        assert_eq!(
            (&health[1]["cpu_usage"], &health[1]["network_down"]),
            (&json!(12.5), &json!(0))
        );

        let today = &health[0]["timestamp"].as_str().unwrap()[..10];
        let ranged = fleet.data(&format!("/api/user/client_health?user_id=12&client_id={ORIN}&start_date={today}&end_date={today}"));
        assert_eq!(ranged, health);
        // One date alone is that one day: not the days after it.
        let yesterday = day_before(today);
        for one in [format!("start_date={yesterday}"), format!("end_date={yesterday}")] {
            assert_eq!(fleet.data(&format!("/api/user/client_health?user_id=12&{one}")), json!([]));
        }
        assert_eq!(
            fleet.data(&format!("/api/user/client_health?user_id=12&start_date={today}")),
            health
        );
        // A client the user does not have is 404, as in the detail route.
        for path in ["client_health", "client_monitor"] {
            let (code, reply) =
                fleet.curl(&format!("/api/user/{path}?user_id=12&client_id={SEED_CLIENT}"), &[]);
            assert_eq!((code, &reply["success"]), (404, &json!(false)), "{path}: {reply}");
        }
        assert_eq!(
            fleet.data(
                "/api/user/client_health?user_id=12&start_date=2025-07-01&end_date=2025-07-29"
            ),
            json!([])
        );

        let daily = fleet.data(&format!("/api/user/client_monitor?user_id=12&client_id={ORIN}"));
        let row = &daily[0];
        let keys: Vec<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "client_id",
                "client_name",
                "created_at",
                "updated_at",
                "date",
                "avg_cpu_usage",
                "avg_memory_usage",
                "avg_disk_usage",
                "total_network_in_bytes",
                "total_network_out_bytes",
                "total_heartbeats",
                "last_heartbeat",
                "avg_network_in_bytes",
                "avg_network_out_bytes",
                "online_minutes"
            ]
        );
        assert_eq!(
            (&row["date"], &row["avg_cpu_usage"], &row["total_heartbeats"]),
            (&json!(today), &json!(25.0), &json!(2))
        );
        assert_eq!(
            (&row["total_network_in_bytes"], &row["total_network_out_bytes"]),
            (&json!(250_000), &json!(50_000))
        );
        assert_eq!(
            (&row["avg_network_in_bytes"], &row["avg_network_out_bytes"]),
            (&json!(125_000.0), &json!(25_000.0))
        );
        assert_eq!(
            row["created_at"].as_str().unwrap().len(),
            19,
            "the seed writes these two without zone: {row}"
        );

        let stat = fleet.data("/api/user/client_stat?user_id=12");
        assert_eq!(
            (&stat["systems_total_number"], &stat["systems_online_number"], &stat["total_tflops"]),
            (&json!(1), &json!(1), &json!(5.3))
        );
        // Another user sees none of it.
        assert_eq!(fleet.data("/api/user/client_list?user_id=13")["total"], 0);
        assert_eq!(fleet.data("/api/user/client_health?user_id=13"), json!([]));
    }
}

#[test]
fn bad_reports_are_refused_whole() {
    for db in backends("badreports") {
        let fleet = Fleet::start(&db, &["--auto-register-user", "12"]);
        let mut wrong_type = orin_resource(ORIN, 10.0, 1, 1);
        wrong_type["data"]["resource"]["cpu"]["core_count"] = json!("twelve");
        let mut bad_percent = orin_resource(ORIN, 10.0, 1, 1);
        bad_percent["data"]["resource"]["cpu"]["usage_percent"] = json!(250.0);
        let mut no_id = orin_heartbeat(ORIN);
        no_id["data"].as_object_mut().unwrap().remove("client_id");
        let mut bad_version = orin_heartbeat(ORIN);
        bad_version["api_version"] = json!(2);
        let huge = json!({"api_version": 1, "data": {"pad": "x".repeat(300 * 1024)}});
        let mut nul = orin_heartbeat(ORIN);
        nul["data"]["hostname"] = json!("orin\u{0}devkit");
        for (path, body, why) in [
            ("/resource", wrong_type, "core_count"),
            ("/resource", bad_percent, "percentage"),
            ("/heartbeat", no_id, "client_id"),
            ("/heartbeat", orin_heartbeat("not-hex"), "client_id"),
            ("/heartbeat", bad_version, "api_version"),
            ("/resource", huge, "bytes"),
            ("/heartbeat", nul, "control character"),
        ] {
            let (code, reply) = fleet.post(path, &body);
            assert_eq!(code, 400, "{path} {why}: {reply}");
            assert_eq!(reply["success"], false);
            assert!(reply["message"].as_str().unwrap().contains(why), "{why}: {reply}");
        }
        let (code, _) = fleet.curl("/heartbeat", &["-X", "POST", "-d", "{not json"]);
        assert_eq!(code, 400);
        std::thread::sleep(Duration::from_millis(800));
        assert_eq!(
            fleet.data("/api/user/client_list?user_id=12")["total"],
            0,
            "nothing stored from a refused report"
        );
    }
}

#[test]
fn parameters_are_checked_with_the_documented_codes() {
    for db in backends("params") {
        let fleet = Fleet::start(&db, &[]);
        let insert = |body: Value| fleet.post("/api/user/insert_client", &body);
        let ok = json!({"user_id": "12", "client_id": SEED_CLIENT, "client_status": "online", "name": "GPU Server 1"});
        for (field, value, why) in [
            ("user_id", json!(""), "user_id"),
            ("user_id", json!("x".repeat(33)), "user_id"),
            ("client_id", json!("6e1131b4"), "16-byte"),
            ("client_id", json!("zz1131b4b9cc454aa6ce3294ab860b2d"), "16-byte"),
            ("client_status", json!("sleeping"), "client_status"),
            ("name", json!(""), "name"),
            ("name", json!(42), "name"),
            ("os_type", json!("x".repeat(65)), "os_type"),
            ("name", json!("x".repeat(33)), "name must be 1-32 characters"),
        ] {
            let mut body = ok.clone();
            body[field] = value;
            let (code, reply) = insert(body);
            assert_eq!(code, 400, "{field}: {reply}");
            assert!(reply["message"].as_str().unwrap().contains(why), "{reply}");
        }
        assert_eq!(fleet.data("/api/user/client_list?user_id=12")["total"], 0, "none stored");
        assert_eq!(insert(ok.clone()).0, 200);
        let stored = fleet.data("/api/user/client_list?user_id=12");
        // Another user cannot take the client over.
        let mut other = ok.clone();
        other["user_id"] = json!("13");
        other["name"] = json!("taken");
        assert_eq!(insert(other).0, 403);
        let mut nul = ok.clone();
        nul["name"] = json!("GPU\u{0}Server");
        let (code, reply) = insert(nul);
        assert_eq!(code, 400, "{reply}");
        assert!(reply["message"].as_str().unwrap().contains("control character"), "{reply}");

        let edit = |body: Value| fleet.post("/api/user/edit_client_info", &body);
        let (code, reply) =
            edit(json!({"user_id": "12", "client_id": SEED_CLIENT, "valid_status": "maybe"}));
        assert_eq!(code, 400, "{reply}");
        assert!(reply["message"].as_str().unwrap().contains("valid, invalid"));
        assert_eq!(
            edit(json!({"user_id": "12", "client_id": SEED_CLIENT, "os_type": "x".repeat(51)})).0,
            400
        );
        let (code, reply) =
            edit(json!({"user_id": "12", "client_id": SEED_CLIENT, "name": "x".repeat(256)}));
        assert_eq!(code, 400, "{reply}");
        assert!(reply["message"].as_str().unwrap().contains("name must be 1-255"), "{reply}");
        for body in ["{not json", "{\"user_id\": \"12\",", ""] {
            for path in ["/api/user/insert_client", "/api/user/edit_client_info"] {
                let (code, reply) = fleet.curl(
                    path,
                    &["-X", "POST", "-H", "Content-Type: application/json", "-d", body],
                );
                assert_eq!((code, &reply["success"]), (400, &json!(false)), "{path} {body:?}");
                assert!(reply["message"].as_str().unwrap().contains("invalid JSON"), "{reply}");
            }
        }
        assert_eq!(
            edit(json!({"user_id": "13", "client_id": SEED_CLIENT, "name": "mine now"})).0,
            404
        );
        assert_eq!(
            fleet.data("/api/user/client_list?user_id=12"),
            stored,
            "refused inserts and edits change nothing"
        );
        assert_eq!(
            edit(json!({"user_id": "12", "client_id": SEED_CLIENT, "valid_status": "invalid"})).0,
            200
        );
        assert_eq!(fleet.data("/api/user/client_list?user_id=12&valid_status=invalid")["total"], 1);
        assert_eq!(fleet.data("/api/user/client_list?user_id=12&valid_status=valid")["total"], 0);
        assert_eq!(
            fleet.data("/api/user/client_list?user_id=12&name=gpu%20SERVER")["total"],
            1,
            "case-insensitive partial name"
        );
        assert_eq!(fleet.data("/api/user/client_list?user_id=12&name=router")["total"], 0);
        assert_eq!(fleet.data("/api/user/client_list?user_id=12&status=offline")["total"], 1);
        assert_eq!(fleet.data("/api/user/client_list?user_id=12&status=online")["total"], 0);
        assert_eq!(
            fleet.data("/api/user/client_list?user_id=12&status=active")["total"],
            0,
            "active asks for the clients that are up"
        );
        assert_eq!(
            fleet.data(&format!(
                "/api/user/client_list?user_id=12&client_id={}",
                SEED_CLIENT.to_uppercase()
            ))["total"],
            1
        );

        for (path, why) in [
            ("/api/user/client_list", "user_id is required"),
            ("/api/user/client_list?user_id=12&client_id=abc", "16-byte"),
            ("/api/user/client_list?user_id=12&valid_status=maybe", "valid_status"),
            ("/api/user/client_list?user_id=12&status=sleeping", "status must be one of"),
            ("/api/user/client_list?user_id=12%00", "control character"),
            ("/api/user/client_device_detail?user_id=12", "client_id is required"),
            ("/api/user/client_health?user_id=12&start_date=2025-13-01", "start_date"),
            (
                "/api/user/client_health?user_id=12&start_date=2025-07-29&end_date=2025-07-01",
                "before",
            ),
            ("/api/models/get?is_active=perhaps", "is_active"),
            ("/api/models/get?min_gpu_memory_gb=-1", "min_gpu_memory_gb"),
        ] {
            let (code, reply) = fleet.curl(path, &[]);
            assert_eq!(
                (code, &reply["success"], &reply["data"]),
                (400, &json!(false), &Value::Null),
                "{path}: {reply}"
            );
            assert!(reply["message"].as_str().unwrap().contains(why), "{path}: {reply}");
        }
        for body in [
            json!({"version": "1.0", "version_code": 1, "engine_type": 0}),
            json!({"name": " ", "version": "1", "version_code": 1, "engine_type": 0}),
            json!({"name": "m", "version": "1", "version_code": "one", "engine_type": 0}),
        ] {
            assert_eq!(fleet.post("/api/models/insert", &body).0, 400, "{body}");
        }
        assert_eq!(
            fleet
                .curl(
                    &format!("/api/user/client_device_detail?user_id=13&client_id={SEED_CLIENT}"),
                    &[]
                )
                .0,
            404
        );
        assert_eq!(fleet.curl("/api/user/nothing", &[]).0, 404);
        let (code, _) = fleet.curl("/api/user/client_list?user_id=12", &["-X", "POST"]);
        assert_eq!(code, 405);
        let json_header = ["-H", "Content-Type: application/json"];
        let (code, reply) =
            fleet.curl("/api/user/insert_client", &[&json_header[..], &["-d", "[1, 2]"]].concat());
        assert_eq!(code, 400, "{reply}");
        // A form post (what a cross-site page can send without asking).
        let (code, reply) = fleet.curl("/api/user/insert_client", &["-d", &ok.to_string()]);
        assert_eq!((code, &reply["success"]), (415, &json!(false)), "{reply}");
    }
}

#[test]
fn tokens_scope_users_and_cors_follows_the_allow_list() {
    let user = "tok12-aaaaaaaaaaaaaaaa";
    let admin = "admin-bbbbbbbbbbbbbbbb";
    for db in backends("tokens") {
        let fleet = Fleet::start(
            &db,
            &[
                "--api-tokens",
                &format!("12:{user},*:{admin}"),
                "--allowed-origins",
                "https://fleet.example",
            ],
        );
        let bearer = |t: &str| format!("Authorization: Bearer {t}");
        let (code, reply) = fleet.curl("/api/user/client_list?user_id=12", &[]);
        assert_eq!((code, reply["success"].clone()), (401, json!(false)));
        assert_eq!(
            fleet
                .curl(
                    "/api/user/client_list?user_id=12",
                    &["-H", &bearer("wrong-cccccccccccccccc")]
                )
                .0,
            401
        );
        assert_eq!(fleet.curl("/api/user/client_list?user_id=12", &["-H", &bearer(user)]).0, 200);
        let (code, reply) = fleet.curl("/api/user/client_list?user_id=13", &["-H", &bearer(user)]);
        assert_eq!(code, 403, "user 12's token reads only user 12: {reply}");
        assert_eq!(fleet.curl("/api/user/client_list?user_id=13", &["-H", &bearer(admin)]).0, 200);
        assert_eq!(fleet.curl("/api/models/get", &["-H", &bearer(user)]).0, 200);
        assert_eq!(fleet.curl("/api/models/get", &[]).0, 401);
        // Agents carry no token: their reports stay open.
        assert_eq!(fleet.post("/heartbeat", &orin_heartbeat(ORIN)).0, 200);

        let head = |origin: &str, extra: &[&str]| {
            let out = std::process::Command::new("curl")
                .args(["-s", "-D", "-", "-o", "/dev/null", "-H", &format!("Origin: {origin}")])
                .args(extra)
                .arg(format!("{}/api/models/get", fleet.base))
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).to_lowercase()
        };
        let allowed = head("https://fleet.example", &["-H", &bearer(user)]);
        assert!(
            allowed.contains("access-control-allow-origin: https://fleet.example"),
            "{allowed}"
        );
        // Another origin's page is refused outright, not only hidden from
        // its script.
        let refused = head("https://evil.example", &["-H", &bearer(user)]);
        assert!(refused.starts_with("http/1.1 403"), "{refused}");
        assert!(!refused.contains("access-control-allow-origin"), "{refused}");
        let preflight = head(
            "https://fleet.example",
            &["-X", "OPTIONS", "-H", "Access-Control-Request-Method: POST"],
        );
        assert!(preflight.starts_with("http/1.1 204"), "{preflight}");
        assert!(
            preflight.contains("access-control-allow-headers: content-type, authorization"),
            "{preflight}"
        );
        assert!(head("https://evil.example", &["-X", "OPTIONS"]).starts_with("http/1.1 403"));

        // The models are every user's: any token reads them, only `*` writes.
        let model =
            json!({"name": "yolov8n", "version": "8.0.1", "version_code": 801, "engine_type": 1});
        let post = |token: &str| {
            fleet.curl(
                "/api/models/insert",
                &[
                    "-X",
                    "POST",
                    "-H",
                    "Content-Type: application/json",
                    "-H",
                    &bearer(token),
                    "-d",
                    &model.to_string(),
                ],
            )
        };
        let (code, reply) = post(user);
        assert_eq!(code, 403, "{}: {reply}", db.name);
        assert_eq!(
            fleet.curl("/api/models/get", &["-H", &bearer(user)]).1["data"],
            json!([]),
            "nothing written"
        );
        assert_eq!(post(admin).0, 200);
        assert_eq!(
            fleet.curl("/api/models/get", &["-H", &bearer(user)]).1["data"][0]["name"],
            "yolov8n"
        );
    }
}

#[test]
fn reports_are_taken_only_from_the_report_networks() {
    let db = backends("networks").remove(0);
    let fleet = Fleet::start(
        &db,
        &["--auto-register-user", "12", "--report-networks", "10.0.0.0/8, fd00::/8"],
    );
    let (code, reply) = fleet.post("/heartbeat", &orin_heartbeat(ORIN));
    assert_eq!(code, 403, "{reply}");
    assert!(reply["message"].as_str().unwrap().contains("--report-networks"), "{reply}");
    fleet.stop();
    let fleet =
        Fleet::start(&db, &["--auto-register-user", "12", "--report-networks", "127.0.0.0/8"]);
    assert_eq!(fleet.post("/heartbeat", &orin_heartbeat(ORIN)).0, 200);
    fleet.until("/api/user/client_list?user_id=12", Duration::from_secs(5), |l| l["total"] == 1);
}

#[test]
fn a_restart_loses_nothing_not_even_what_was_queued() {
    for db in backends("restart") {
        // Reports wait a minute for their batch: all three are answered
        // with 200 and still queued when SIGTERM comes, and written on the
        // way out.
        let fleet = Fleet::start(&db, &["--auto-register-user", "12", "--write-interval", "60"]);
        assert_eq!(fleet.post("/heartbeat", &orin_heartbeat(ORIN)).0, 200);
        assert_eq!(fleet.post("/resource", &orin_resource(ORIN, 20.0, 5, 5)).0, 200);
        assert_eq!(fleet.post("/resource", &orin_resource(ORIN, 30.0, 8, 6)).0, 200);
        assert_eq!(fleet.data("/api/user/client_list?user_id=12")["total"], 0, "still queued");
        let log = fleet.log.clone();
        fleet.stop();
        let said = std::fs::read_to_string(log).unwrap();
        assert!(said.contains("stopped (3 queued reports written)"), "{}: {said}", db.name);
        if let Some(path) = db.url.strip_prefix("sqlite:") {
            let mode = std::process::Command::new("python3")
                .args(["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode').fetchone()[0])", path])
                .output()
                .unwrap();
            assert_eq!(String::from_utf8_lossy(&mode.stdout).trim(), "wal");
        }
        let again = Fleet::start(&db, &[]);
        let list = again.data("/api/user/client_list?user_id=12");
        assert_eq!(
            (&list["total"], &list["devices"][0]["client_name"], &list["devices"][0]["cpu_usage"]),
            (&json!(1), &json!("orin-devkit"), &json!(30.0)),
            "{}",
            db.name
        );
        let health = again.data("/api/user/client_health?user_id=12");
        let series: Vec<_> = health
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["cpu_usage"].clone(), h["network_down"].clone()))
            .collect();
        assert_eq!(series, [(json!(30.0), json!(3)), (json!(20.0), json!(0))], "{}", db.name);
    }
}

/// The UTC day before `day` (YYYY-MM-DD), as GNU date counts.
fn day_before(day: &str) -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "-d", &format!("{day} - 1 day"), "+%F"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}
