//! Client routes: insert, edit, list (and status list), device detail.

use serde_json::{Map, Value, json};

use super::params::{self, CLIENT_STATUSES, Query};
use super::{Access, App, Failure, Outcome, Token};
use crate::health::{View, view};
use crate::store::{ClientRow, Edit, NewClient, Upsert};
use edgestat_common::time::{iso_ms, now_ms};

const OK: &str = "Operation successful";

/// One decimal place, as a JSON number (null stays null).
pub fn round1(v: Option<f64>) -> Value {
    v.map_or(Value::Null, |v| json!((v * 10.0).round() / 10.0))
}

/// Three decimal places (TFLOPS: a Jetson Nano has 0.472).
pub fn round3(v: Option<f64>) -> Value {
    v.map_or(Value::Null, |v| json!((v * 1000.0).round() / 1000.0))
}

/// `POST /api/user/insert_client`.
pub async fn insert(app: &App, body: &Map<String, Value>, token: Token<'_>) -> Outcome {
    let user_id = params::text(body, "user_id", 1, 32, true)?.unwrap_or_default();
    token(Access::User(&user_id))?;
    let client_id = params::text(body, "client_id", 1, 32, true)?.unwrap_or_default();
    let client = NewClient {
        user_id,
        client_id: params::client_id(&client_id)?,
        client_status: params::one_of(
            "client_status",
            params::text(body, "client_status", 1, 20, true)?,
            &CLIENT_STATUSES,
        )?
        .unwrap_or_default(),
        os_type: params::text(body, "os_type", 1, 64, false)?,
        name: params::text(body, "name", 1, 32, true)?.unwrap_or_default(),
    };
    match app.db(move |s| s.upsert_client(&client, now_ms())).await? {
        Upsert::Created | Upsert::Updated => Ok((json!([]), OK)),
        Upsert::OwnedByOther => Err(Failure(
            hyper::StatusCode::FORBIDDEN,
            "client_id is registered to another user".into(),
        )),
    }
}

/// `POST /api/user/edit_client_info`.
pub async fn edit(app: &App, body: &Map<String, Value>, token: Token<'_>) -> Outcome {
    let user_id = params::text(body, "user_id", 1, 255, true)?.unwrap_or_default();
    token(Access::User(&user_id))?;
    let client_id = params::text(body, "client_id", 1, 255, true)?.unwrap_or_default();
    let edit = Edit {
        user_id,
        client_id: params::client_id(&client_id)?,
        os_type: params::text(body, "os_type", 1, 50, false)?,
        // The list shows at most 32 characters of a name: insert_client's limit.
        name: params::text(body, "name", 1, 255, false)?,
        client_status: params::one_of(
            "client_status",
            params::text(body, "client_status", 1, 20, false)?,
            &CLIENT_STATUSES,
        )?,
        valid_status: params::one_of(
            "valid_status",
            params::text(body, "valid_status", 1, 10, false)?,
            &["valid", "invalid"],
        )?,
    };
    if app.db(move |s| s.edit_client(&edit, now_ms())).await? {
        Ok((Value::Null, OK))
    } else {
        Err(Failure(hyper::StatusCode::NOT_FOUND, "no such client for this user".into()))
    }
}

/// A client in `client_list`.
fn device(c: &ClientRow, v: &View) -> Value {
    json!({
        "client_id": c.client_id,
        "client_name": c.name,
        "client_status": v.status,
        "os_type": c.os_type,
        "device_name": v.device_name,
        "tflops": round3(v.tflops),
        "cpu_usage": round1(v.cpu_usage),
        "memory_usage": round1(v.memory_usage),
        "storage_usage": round1(v.storage_usage),
        "health": v.health,
        "last_online": c.last_seen.map(iso_ms),
        "created_at": iso_ms(c.created_at),
        "uptime_days": v.uptime_days,
        "valid_status": c.valid_status,
    })
}

/// The user's clients with their views, filtered as the query says, once
/// the token opens that user.
pub async fn matching(
    app: &App,
    q: &Query,
    token: Token<'_>,
) -> Result<Vec<(ClientRow, View)>, Failure> {
    let (user, client_id) = q.scope(token)?;
    // `active` (a stored status, never a shown one) asks for the clients
    // that are up: the same as `online`.
    let status = params::one_of("status", q.get("status").map(str::to_owned), &CLIENT_STATUSES)?
        .map(|s| if s == "active" { "online".to_owned() } else { s });
    let name = q.get("name").map(str::to_lowercase);
    let valid = params::one_of(
        "valid_status",
        q.get("valid_status").map(str::to_owned),
        &["valid", "invalid"],
    )?;
    let rows = app.db(move |s| s.clients_of(&user, client_id.as_deref())).await?;
    let now = now_ms();
    Ok(rows
        .into_iter()
        .map(|c| {
            let v = view(&c, now, &app.rules);
            (c, v)
        })
        .filter(|(c, v)| {
            status.as_ref().is_none_or(|s| *s == v.status)
                && name.as_ref().is_none_or(|n| c.name.to_lowercase().contains(n.as_str()))
                && valid.as_ref().is_none_or(|s| *s == c.valid_status)
        })
        .collect())
}

/// Fails with 404 unless `user` has the client `id`.
pub async fn require(app: &App, user: &str, id: &str) -> Result<(), Failure> {
    let (user, id) = (user.to_owned(), id.to_owned());
    if app.db(move |s| s.clients_of(&user, Some(&id))).await?.is_empty() {
        return Err(Failure(hyper::StatusCode::NOT_FOUND, "no such client for this user".into()));
    }
    Ok(())
}

/// `GET /api/user/client_list` and `client_status_list`.
pub async fn list(app: &App, q: &Query, token: Token<'_>) -> Outcome {
    let clients = matching(app, q, token).await?;
    let devices: Vec<Value> = clients.iter().map(|(c, v)| device(c, v)).collect();
    Ok((json!({"total": devices.len(), "devices": devices}), OK))
}

/// `GET /api/user/client_device_detail`.
pub async fn detail(app: &App, q: &Query, token: Token<'_>) -> Outcome {
    q.user_id()?;
    if q.client_id()?.is_none() {
        return Err(Failure::bad("client_id is required"));
    }
    let clients = matching(app, q, token).await?;
    let Some((_, v)) = clients.first() else {
        return Err(Failure(hyper::StatusCode::NOT_FOUND, "no such client for this user".into()));
    };
    let devices: Vec<Value> = v
        .devices
        .iter()
        .map(|d| {
            json!({
                "device_index": d.index,
                "name": d.name,
                "temp": round1(d.temp),
                "usage": round1(d.usage),
                "mem_usage": round1(d.mem_usage),
                "power_usage": round1(d.power),
            })
        })
        .collect();
    Ok((
        json!({
            "system_info": {
                "health": v.health,
                "cpu_usage": round1(v.cpu_usage),
                "memory_usage": round1(v.memory_usage),
                "storage_usage": round1(v.storage_usage),
                "device_memsize": v.device_memsize,
                "uptime_days": v.uptime_days,
            },
            "device_info": devices,
        }),
        OK,
    ))
}
