//! Model routes: shared by every user.

use serde_json::{Map, Value, json};

use super::params::{self, Query};
use super::{Access, App, Failure, Outcome, Token};
use crate::store::{ModelFilter, NewModel};
use edgestat_common::time::{iso_ms, now_ms};

/// `POST /api/models/insert`.
pub async fn insert(app: &App, body: &Map<String, Value>, token: Token<'_>) -> Outcome {
    token(Access::WriteShared)?;
    let non_negative = |name: &str| -> Result<Option<i64>, Failure> {
        match params::integer(body, name, false)? {
            Some(v) if v < 0 => Err(Failure::bad(format!("{name} must not be negative"))),
            v => Ok(v),
        }
    };
    let model = NewModel {
        name: params::text(body, "name", 1, 255, true)?.unwrap_or_default(),
        version: params::text(body, "version", 1, 64, true)?.unwrap_or_default(),
        version_code: params::integer(body, "version_code", true)?.unwrap_or_default(),
        engine_type: params::integer(body, "engine_type", true)?.unwrap_or_default(),
        is_active: params::boolean(body, "is_active")?.unwrap_or(true),
        min_memory_mb: non_negative("min_memory_mb")?,
        min_gpu_memory_gb: non_negative("min_gpu_memory_gb")?,
    };
    if model.name.trim().is_empty() || model.version.trim().is_empty() {
        return Err(Failure::bad("name and version must not be empty"));
    }
    app.db(move |s| s.upsert_model(&model, now_ms())).await?;
    Ok((Value::Null, "Operation successful"))
}

/// `GET /api/models/get`.
pub async fn list(app: &App, q: &Query, token: Token<'_>) -> Outcome {
    token(Access::ReadShared)?;
    let is_active = match q.get("is_active") {
        None => None,
        Some("true" | "1") => Some(true),
        Some("false" | "0") => Some(false),
        Some(_) => return Err(Failure::bad("is_active must be true or false")),
    };
    let min_gpu_memory_gb = q
        .get("min_gpu_memory_gb")
        .map(|v| {
            v.parse::<i64>()
                .ok()
                .filter(|v| *v >= 0)
                .ok_or_else(|| Failure::bad("min_gpu_memory_gb must be a whole number of GB"))
        })
        .transpose()?;
    let filter = ModelFilter { is_active, min_gpu_memory_gb };
    let models = app.db(move |s| s.models(filter)).await?;
    let data: Vec<Value> = models
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "name": m.name,
                "version": m.version,
                "version_code": m.version_code,
                "engine_type": m.engine_type,
                "is_active": m.is_active,
                "min_memory_mb": m.min_memory_mb,
                "min_gpu_memory_gb": m.min_gpu_memory_gb,
                "created_at": iso_ms(m.created_at),
            })
        })
        .collect();
    Ok((Value::Array(data), "Operation successful"))
}
