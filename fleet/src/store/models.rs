//! Models (`/api/models/*`): shared by every user, keyed by name and
//! version.

use super::{DbError, Param, Store, int, text};

/// A model as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Version code.
    pub version_code: i64,
    /// Engine type.
    pub engine_type: i64,
    /// Active.
    pub is_active: bool,
    /// MB.
    pub min_memory_mb: Option<i64>,
    /// GB.
    pub min_gpu_memory_gb: Option<i64>,
    /// Unix ms.
    pub created_at: i64,
}

/// `/api/models/insert`'s fields, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct NewModel {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Version code.
    pub version_code: i64,
    /// Engine type.
    pub engine_type: i64,
    /// Active (default true).
    pub is_active: bool,
    /// MB.
    pub min_memory_mb: Option<i64>,
    /// GB.
    pub min_gpu_memory_gb: Option<i64>,
}

/// `/api/models/get`'s filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModelFilter {
    /// Only active (true) or inactive (false) models.
    pub is_active: Option<bool>,
    /// Only models needing at least this much GPU memory, GB.
    pub min_gpu_memory_gb: Option<i64>,
}

impl Store {
    /// Creates a model, or updates the one with the same name and version.
    pub fn upsert_model(&mut self, m: &NewModel, now: i64) -> Result<(), DbError> {
        self.db.exec(
            "INSERT INTO models (name, version, version_code, engine_type, is_active, min_memory_mb, min_gpu_memory_gb, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
             ON CONFLICT (name, version) DO UPDATE SET
                version_code = excluded.version_code, engine_type = excluded.engine_type, is_active = excluded.is_active,
                min_memory_mb = excluded.min_memory_mb, min_gpu_memory_gb = excluded.min_gpu_memory_gb,
                updated_at = excluded.updated_at",
            &[
                text(&m.name),
                text(&m.version),
                int(m.version_code),
                int(m.engine_type),
                int(i64::from(m.is_active)),
                Param::Int(m.min_memory_mb),
                Param::Int(m.min_gpu_memory_gb),
                int(now),
            ],
        )?;
        Ok(())
    }

    /// Models matching `filter`, by id.
    pub fn models(&mut self, filter: ModelFilter) -> Result<Vec<Model>, DbError> {
        // Fixed SQL: an absent filter is -1, so the statement never
        // changes shape. The casts tell PostgreSQL the parameters' type.
        let rows = self.db.query(
            "SELECT id, name, version, version_code, engine_type, is_active, min_memory_mb, min_gpu_memory_gb, created_at
             FROM models
             WHERE (CAST($1 AS BIGINT) < 0 OR is_active = CAST($1 AS BIGINT))
               AND (CAST($2 AS BIGINT) < 0 OR min_gpu_memory_gb >= CAST($2 AS BIGINT))
             ORDER BY id",
            &[
                int(filter.is_active.map_or(-1, i64::from)),
                int(filter.min_gpu_memory_gb.unwrap_or(-1)),
            ],
        )?;
        Ok(rows
            .iter()
            .map(|r| Model {
                id: r[0].int().unwrap_or(0),
                name: r[1].string(),
                version: r[2].string(),
                version_code: r[3].int().unwrap_or(0),
                engine_type: r[4].int().unwrap_or(0),
                is_active: r[5].int().unwrap_or(0) != 0,
                min_memory_mb: r[6].int(),
                min_gpu_memory_gb: r[7].int(),
                created_at: r[8].int().unwrap_or(0),
            })
            .collect())
    }
}
